import AD3DPointCloud

/// How a scan is brought into the model's frame before patching.
public enum FrameMode: String, Sendable, Codable, CaseIterable {
    /// Subtract the scan's centroid — right for complete scans.
    case centroid
    /// Keep the coordinates — for parts that sit in a fixture.
    case none
}

/// The normalisation every scan goes through: frame, then division by the category scale.
public struct ScanFrame: Sendable, Codable, Equatable {
    /// How the scan is positioned.
    public var mode: FrameMode
    /// The category scale `s`: the mean bounding-box diagonal of the training scans.
    public var scale: Float

    /// A frame with the given mode and scale.
    public init(mode: FrameMode, scale: Float) {
        self.mode = mode
        self.scale = scale
    }

    /// The mean bounding-box diagonal of `scans` (1 when it is not positive).
    public static func categoryScale(of scans: [PointCloud]) -> Float {
        let diagonals = scans.compactMap { cloud in
            cloud.boundingBox.map { box in
                let size = box.max - box.min
                return Double((size * size).sum().squareRoot())
            }
        }
        let mean = diagonals.isEmpty ? 0 : diagonals.reduce(0, +) / Double(diagonals.count)
        return mean > 0 ? Float(mean) : 1
    }

    /// `cloud` in the model's frame: `(p − origin) / scale`, with the origin set by `mode`.
    public func normalise(_ cloud: PointCloud) -> PointCloud {
        let origin = mode == .centroid ? cloud.centroid : .zero
        let inverse = 1 / scale
        var coordinates = cloud.coordinates
        coordinates.withUnsafeMutableBufferPointer { values in
            for i in 0..<cloud.count {
                values[3 * i] = (values[3 * i] - origin.x) * inverse
                values[3 * i + 1] = (values[3 * i + 1] - origin.y) * inverse
                values[3 * i + 2] = (values[3 * i + 2] - origin.z) * inverse
            }
        }
        return PointCloud(coordinates: coordinates, labels: cloud.labels)
    }
}
