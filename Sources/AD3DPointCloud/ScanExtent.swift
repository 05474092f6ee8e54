import Foundation

/// A scan too small to measure: distances between its points would underflow `Float`.
public struct ScanExtentError: Error, LocalizedError, Equatable {
    /// The scan file.
    public var path: String
    /// Its bounding-box diagonal.
    public var diagonal: Float

    /// One line naming the file and the extent.
    public var errorDescription: String? {
        "\(path): the points span only \(diagonal) (bounding-box diagonal), below \(PointCloud.minimumMeasurableDiagonal) "
            + "where distances between them underflow; check the file's units"
    }
}

extension PointCloud {
    /// Smallest bounding-box diagonal of a scan that is trained on or scored: below it, squared
    /// distances between neighbouring points underflow `Float` (coordinates are bounded above by
    /// `maximumCoordinateMagnitude` when read).
    public static let minimumMeasurableDiagonal: Float = 1e-9

    /// Throws `ScanExtentError` naming `path` unless the cloud spans at least `minimumMeasurableDiagonal`.
    public func requireMeasurableExtent(path: String) throws {
        let diagonal = diagonal
        guard diagonal >= Self.minimumMeasurableDiagonal else { throw ScanExtentError(path: path, diagonal: diagonal) }
    }
}
