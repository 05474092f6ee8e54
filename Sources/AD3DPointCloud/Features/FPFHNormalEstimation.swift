import AD3DTensor

/// Surface normals computed the way Open3D's `estimate_normals` computes them with a hybrid search
/// (`KDTreeSearchParamHybrid(radius, max_nn)`) on a cloud without normals, which is what BTF's
/// published code feeds to FPFH.
///
/// - neighbourhood: up to `maxNeighbors` nearest points within `radius`, the point itself included;
/// - fewer than 3 neighbours: the covariance is taken as the identity, giving the normal (0, 0, 1);
/// - covariance from raw moments `E[xxᵀ] − E[x]E[x]ᵀ` in `Double`;
/// - normal: the smallest-eigenvalue eigenvector from `RobustEigenvector3`, with its sign as
///   returned (no orientation step), (0, 0, 1) for a zero covariance.
///
/// `NormalEstimation` in PointCloud/Sampling is the general-purpose estimator (PCA by Jacobi,
/// optional orientation); this one exists because FPFH is sensitive to each normal's sign and
/// must reproduce Open3D's to be comparable with BTF results computed with Open3D.
public struct FPFHNormalEstimation: Sendable, Equatable {
    /// Neighbourhood radius, in the cloud's units.
    public var radius: Float
    /// Most neighbours used (nearest first), the point itself included.
    public var maxNeighbors: Int

    /// Fewest points handed to one core.
    static let minimumPointsPerChunk = 512

    /// An estimator with Open3D's hybrid neighbourhood.
    public init(radius: Float, maxNeighbors: Int) {
        self.radius = radius
        self.maxNeighbors = maxNeighbors
    }

    /// Unit normals of `cloud`, `[N, 3]` flat; `tree` must have been built over `cloud`.
    public func normals(of cloud: PointCloud, tree: KDTree) throws -> [Float] {
        precondition(tree.count == cloud.count, "the k-d tree was built over a different cloud")
        try validate()
        let neighbors = tree.nearest(k: maxNeighbors, within: radius, to: cloud)
        var normals = [Float](repeating: 0, count: 3 * cloud.count)
        let chunks = ParallelMap.chunkCount(for: cloud.count, minimumChunk: Self.minimumPointsPerChunk)
        cloud.coordinates.withUnsafeBufferPointer { points in
            neighbors.indices.withUnsafeBufferPointer { indices in
                normals.withUnsafeMutableBufferPointer { out in
                    ParallelMap.perform(chunks: chunks) { chunk in
                        for i in ParallelMap.range(chunk, of: chunks, count: cloud.count) {
                            let range = neighbors.offsets[i]..<neighbors.offsets[i + 1]
                            let normal = Self.normal(of: UnsafeBufferPointer(rebasing: indices[range]), in: points)
                            out[3 * i] = Float(normal.x)
                            out[3 * i + 1] = Float(normal.y)
                            out[3 * i + 2] = Float(normal.z)
                        }
                    }
                }
            }
        }
        return normals
    }

    /// The normal of the neighbourhood `indices` of the flat coordinates `points`.
    static func normal(of indices: UnsafeBufferPointer<Int32>, in points: UnsafeBufferPointer<Float>) -> SIMD3<Double> {
        guard indices.count >= 3 else { return SIMD3(0, 0, 1) }
        var first = SIMD3<Double>.zero
        var xx = 0.0, xy = 0.0, xz = 0.0, yy = 0.0, yz = 0.0, zz = 0.0
        for index in indices {
            let j = 3 * Int(index)
            let p = SIMD3(Double(points[j]), Double(points[j + 1]), Double(points[j + 2]))
            first += p
            xx += p.x * p.x; xy += p.x * p.y; xz += p.x * p.z
            yy += p.y * p.y; yz += p.y * p.z; zz += p.z * p.z
        }
        let n = Double(indices.count)
        let mean = first / n
        let covariance = RobustEigenvector3.Symmetric(
            xx: xx / n - mean.x * mean.x, xy: xy / n - mean.x * mean.y, xz: xz / n - mean.x * mean.z,
            yy: yy / n - mean.y * mean.y, yz: yz / n - mean.y * mean.z, zz: zz / n - mean.z * mean.z)
        let normal = RobustEigenvector3.smallest(of: covariance)
        return normal == .zero ? SIMD3(0, 0, 1) : normal
    }

    /// Throws `BaselineError.invalidParameter` for a non-positive radius or fewer than 3 neighbours.
    func validate() throws {
        guard radius.isFinite, radius > 0 else {
            throw BaselineError.invalidParameter(name: "normal radius", value: "\(radius)", requirement: "finite and > 0")
        }
        guard maxNeighbors >= 3 else {
            throw BaselineError.invalidParameter(
                name: "normal neighbours", value: "\(maxNeighbors)", requirement: ">= 3")
        }
    }
}
