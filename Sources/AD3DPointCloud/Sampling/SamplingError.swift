import Foundation

/// Errors raised by sampling, neighbour search, patch extraction and normal estimation.
public enum SamplingError: Error, LocalizedError, Equatable {
    /// `operation` needs at least one point and the cloud is empty.
    case emptyCloud(operation: String)
    /// Point `pointIndex` has a NaN or infinite coordinate, which `operation` cannot handle.
    case nonFiniteCoordinate(operation: String, pointIndex: Int)
    /// Parameter `name` of `operation` has `value`, which breaks `requirement`.
    case invalidParameter(operation: String, name: String, value: String, requirement: String)
    /// `operation` needs `required` points but the cloud has only `available`.
    case tooFewPoints(operation: String, required: Int, available: Int)
    /// A voxel grid of size `voxelSize` spans `voxelsPerAxis` cells along one axis, beyond the limit.
    case voxelGridTooFine(voxelSize: Float, voxelsPerAxis: Double, limit: Int)

    /// A message a user can act on.
    public var errorDescription: String? {
        switch self {
        case let .emptyCloud(operation):
            return "\(operation): the point cloud is empty; load a scan with at least one point."
        case let .nonFiniteCoordinate(operation, pointIndex):
            return "\(operation): point \(pointIndex) has a NaN or infinite coordinate; "
                + "remove invalid points before sampling."
        case let .invalidParameter(operation, name, value, requirement):
            return "\(operation): \(name) = \(value) is invalid; \(name) must be \(requirement)."
        case let .tooFewPoints(operation, required, available):
            return "\(operation): needs at least \(required) points but the cloud has \(available); "
                + "use a denser scan or smaller sample sizes."
        case let .voxelGridTooFine(voxelSize, voxelsPerAxis, limit):
            return "voxel downsampling: voxel size \(voxelSize) gives \(Int(voxelsPerAxis.rounded())) voxels "
                + "along one axis (limit \(limit)); use a larger voxel size."
        }
    }
}

extension PointCloud {
    /// Throws `SamplingError.nonFiniteCoordinate` for the first point with a NaN or infinite coordinate.
    package func requireFiniteCoordinates(operation: String) throws {
        if let bad = Self.firstUnusableCoordinate(in: coordinates) {
            throw SamplingError.nonFiniteCoordinate(operation: operation, pointIndex: bad / 3)
        }
    }
}
