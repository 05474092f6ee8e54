import AD3DTensor

/// A set of 3D points, stored flat as `[N, 3]` row-major `Float` coordinates, with optional
/// per-point ground-truth labels (1 = anomalous) when the source file carried them.
public struct PointCloud: Sendable, Equatable {
    /// `x0, y0, z0, x1, y1, z1, …` — `3 * count` values.
    public var coordinates: [Float]
    /// Per-point labels (0 good, 1 anomalous), present for ground-truth files only.
    public var labels: [UInt8]?

    /// A cloud from flat `[N, 3]` coordinates and optional labels of length N.
    public init(coordinates: [Float], labels: [UInt8]? = nil) {
        precondition(coordinates.count % 3 == 0, "coordinates must hold x, y, z triples")
        precondition(labels == nil || labels!.count == coordinates.count / 3, "one label per point")
        self.coordinates = coordinates
        self.labels = labels
    }

    /// A cloud from an array of points.
    public init(points: [SIMD3<Float>], labels: [UInt8]? = nil) {
        var flat = [Float]()
        flat.reserveCapacity(points.count * 3)
        for p in points { flat.append(p.x); flat.append(p.y); flat.append(p.z) }
        self.init(coordinates: flat, labels: labels)
    }

    /// Number of points.
    public var count: Int { coordinates.count / 3 }

    /// Whether the cloud has no points.
    public var isEmpty: Bool { coordinates.isEmpty }

    /// Point `index` as a vector.
    public subscript(index: Int) -> SIMD3<Float> {
        SIMD3(coordinates[3 * index], coordinates[3 * index + 1], coordinates[3 * index + 2])
    }

    /// The coordinates as a `[N, 3]` tensor.
    public var tensor: Tensor { Tensor(shape: [count, 3], storage: coordinates) }

    /// Axis-aligned bounding box `(min, max)`, or nil for an empty cloud.
    public var boundingBox: (min: SIMD3<Float>, max: SIMD3<Float>)? {
        guard !isEmpty else { return nil }
        var lo = self[0], hi = self[0]
        for i in 1..<count {
            let p = self[i]
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
        }
        return (lo, hi)
    }

    /// The mean of the points, accumulated in Double (the origin for an empty cloud).
    public var exactCentroid: SIMD3<Double> { LinearAlgebra.centroid(coordinates) }

    /// The mean of the points (accumulated in Double; the origin for an empty cloud).
    public var centroid: SIMD3<Float> { SIMD3<Float>(exactCentroid) }

    /// Length of the bounding box's diagonal (0 for an empty cloud).
    public var diagonal: Float {
        guard let box = boundingBox else { return 0 }
        let size = box.max - box.min
        return (size * size).sum().squareRoot()
    }

    /// The sub-cloud made of the points at `indices`, in that order (labels follow).
    public func selecting(_ indices: [Int]) -> PointCloud {
        var flat = [Float]()
        flat.reserveCapacity(indices.count * 3)
        for i in indices {
            flat.append(coordinates[3 * i]); flat.append(coordinates[3 * i + 1]); flat.append(coordinates[3 * i + 2])
        }
        return PointCloud(coordinates: flat, labels: labels.map { l in indices.map { l[$0] } })
    }

    /// The index in `coordinates` of the first value that is NaN, infinite or beyond `bound` in
    /// magnitude, or nil: the one coordinate check behind the readers' and the samplers' errors.
    package static func firstUnusableCoordinate(in coordinates: [Float], bound: Float = .greatestFiniteMagnitude) -> Int? {
        coordinates.withUnsafeBufferPointer { values in
            for i in 0..<values.count where !(abs(values[i]) <= bound) { return i }
            return nil
        }
    }
}
