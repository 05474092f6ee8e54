import AD3DTensor

/// Per-point surface normals and curvature of a cloud.
public struct SurfaceNormals: Sendable, Equatable {
    /// Unit normals, `[N, 3]` flat.
    public var normals: [Float]
    /// Surface variation λ0 / (λ0 + λ1 + λ2) of each neighbourhood (0 on a plane, 1/3 when isotropic).
    public var curvatures: [Float]

    /// The normal of point `index`.
    public func normal(at index: Int) -> SIMD3<Float> {
        SIMD3(normals[3 * index], normals[3 * index + 1], normals[3 * index + 2])
    }
}

/// Estimates normals by PCA: the normal of a point is the eigenvector of the smallest eigenvalue
/// of its neighbourhood's covariance (the point itself included). Neighbourhoods where all points
/// coincide get an arbitrary unit normal and curvature 0.
public struct NormalEstimation: Sendable, Equatable {
    /// Which points form a neighbourhood.
    public enum Neighborhood: Sendable, Equatable {
        /// The `k` nearest points.
        case nearest(k: Int)
        /// Up to `maxCount` nearest points within distance `radius`.
        case radius(Float, maxCount: Int)
    }

    /// How the sign of each normal is chosen.
    public enum Orientation: Sendable, Equatable {
        /// Whatever sign the eigen-solver returns (deterministic, geometrically arbitrary).
        case unoriented
        /// Flipped so that it points towards `viewpoint` (the scanner position).
        case towards(viewpoint: SIMD3<Float>)
        /// Flipped so that it points away from the cloud's centroid (closed, roughly convex shapes).
        case awayFromCentroid
    }

    /// Fewest points handed to one core.
    static let minimumPointsPerChunk = 256

    /// Neighbourhood definition.
    public var neighborhood: Neighborhood
    /// Sign rule.
    public var orientation: Orientation

    /// An estimator with the given neighbourhood and sign rule.
    public init(neighborhood: Neighborhood = .nearest(k: 30), orientation: Orientation = .unoriented) {
        self.neighborhood = neighborhood
        self.orientation = orientation
    }

    /// Normals of `cloud`, building a k-d tree for the neighbour search.
    public func callAsFunction(_ cloud: PointCloud) throws -> SurfaceNormals {
        try validateParameters()
        return try estimate(cloud, tree: KDTree(cloud))
    }

    /// Normals of `cloud`, reusing `tree`, which must have been built over `cloud`.
    public func estimate(_ cloud: PointCloud, tree: KDTree) throws -> SurfaceNormals {
        precondition(tree.count == cloud.count, "the k-d tree was built over a different cloud")
        try validateParameters()
        let (capacity, radiusSquared): (Int, Float)
        switch neighborhood {
        case let .nearest(k): (capacity, radiusSquared) = (min(k, cloud.count), .infinity)
        case let .radius(r, maxCount): (capacity, radiusSquared) = (min(maxCount, cloud.count), r * r)
        }
        let centroid = orientation == .awayFromCentroid ? cloud.centroid : .zero
        let chunks = ParallelMap.chunkCount(for: cloud.count, minimumChunk: Self.minimumPointsPerChunk)
        var normals = [Float](repeating: 0, count: 3 * cloud.count)
        var curvatures = [Float](repeating: 0, count: cloud.count)
        normals.withUnsafeMutableBufferPointer { normalsOut in
            curvatures.withUnsafeMutableBufferPointer { curvaturesOut in
                ParallelMap.perform(chunks: chunks) { chunk in
                    let distances = UnsafeMutablePointer<Float>.allocate(capacity: max(1, capacity))
                    let positions = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, capacity))
                    defer { distances.deallocate(); positions.deallocate() }
                    tree.withSearch { search in
                        // Queries and neighbours are visited in tree order, which keeps them in cache.
                        for position in ParallelMap.range(chunk, of: chunks, count: cloud.count) {
                            let p = Self.point(position, search.points)
                            var collector = NearestCollector(
                                capacity: capacity, radiusSquared: radiusSquared,
                                distances: distances, positions: positions, order: search.order)
                            if capacity > 0 { search.traverse(p, &collector) }
                            let (normal, curvature) = Self.principalNormal(
                                of: UnsafeBufferPointer(start: positions, count: collector.count), in: search.points)
                            let oriented = orient(SIMD3<Float>(normal), at: p, centroid: centroid)
                            let i = Int(search.order[position])
                            normalsOut[3 * i] = oriented.x
                            normalsOut[3 * i + 1] = oriented.y
                            normalsOut[3 * i + 2] = oriented.z
                            curvaturesOut[i] = curvature
                        }
                    }
                }
            }
        }
        return SurfaceNormals(normals: normals, curvatures: curvatures)
    }

    /// The smallest-eigenvalue eigenvector of the covariance of the points at `indices` of the
    /// flat coordinates `c`, and the surface variation; both from a `Double` covariance.
    static func principalNormal(
        of indices: UnsafeBufferPointer<Int32>, in c: UnsafeBufferPointer<Float>
    ) -> (normal: SIMD3<Double>, curvature: Float) {
        guard !indices.isEmpty else { return (SIMD3(0, 0, 1), 0) }
        var mean = SIMD3<Double>.zero
        for index in indices { mean += SIMD3<Double>(Self.point(Int(index), c)) }
        mean /= Double(indices.count)
        var xx = 0.0, xy = 0.0, xz = 0.0, yy = 0.0, yz = 0.0, zz = 0.0
        for index in indices {
            let d = SIMD3<Double>(Self.point(Int(index), c)) - mean
            xx += d.x * d.x; xy += d.x * d.y; xz += d.x * d.z
            yy += d.y * d.y; yz += d.y * d.z; zz += d.z * d.z
        }
        let eigen = SymmetricEigen3(xx: xx, xy: xy, xz: xz, yy: yy, yz: yz, zz: zz)
        let values = pointwiseMax(eigen.values, .zero)
        let total = values.sum()
        return (eigen.vectors.0, total > 0 ? Float(values.x / total) : 0)
    }

    private static func point(_ i: Int, _ c: UnsafeBufferPointer<Float>) -> SIMD3<Float> {
        SIMD3(c[3 * i], c[3 * i + 1], c[3 * i + 2])
    }

    private func orient(_ normal: SIMD3<Float>, at p: SIMD3<Float>, centroid: SIMD3<Float>) -> SIMD3<Float> {
        let reference: SIMD3<Float>
        switch orientation {
        case .unoriented: return normal
        case let .towards(viewpoint): reference = viewpoint - p
        case .awayFromCentroid: reference = p - centroid
        }
        return (normal * reference).sum() < 0 ? -normal : normal
    }

    private func validateParameters() throws {
        let operation = "normal estimation"
        switch neighborhood {
        case let .nearest(k) where k < 3:
            throw SamplingError.invalidParameter(operation: operation, name: "k", value: "\(k)", requirement: ">= 3")
        case let .radius(r, _) where !(r.isFinite && r > 0):
            throw SamplingError.invalidParameter(
                operation: operation, name: "radius", value: "\(r)", requirement: "finite and > 0")
        case let .radius(_, maxCount) where maxCount < 3:
            throw SamplingError.invalidParameter(
                operation: operation, name: "maxCount", value: "\(maxCount)", requirement: ">= 3")
        default:
            return
        }
    }
}
