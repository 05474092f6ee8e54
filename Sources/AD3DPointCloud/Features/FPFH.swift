import AD3DTensor
import Foundation

/// Fast Point Feature Histograms (Rusu, Blodow & Beetz, ICRA 2009) with Open3D's conventions
/// (`open3d.pipelines.registration.compute_fpfh_feature`), so that features match Open3D's.
///
/// For each point p with normal n, the neighbourhood is up to `maxNeighbors` nearest points within
/// `radius`, p itself first (Open3D's hybrid search).
/// 1. Pair features (`pairFeatures`) of p and each neighbour: the angles θ, α = v·n_t, φ = u·d/|d|
///    of the Darboux frame, with source and target swapped so the source is the point whose normal
///    makes the smaller angle with the connecting line.
/// 2. SPFH(p): three 11-bin histograms of θ ∈ [−π, π], α ∈ [−1, 1], φ ∈ [−1, 1], each pair adding
///    100/(k−1), so each histogram sums to 100 (k = neighbourhood size, p included).
/// 3. FPFH(p) = SPFH(p) + normalise₁₀₀(Σ_k SPFH(p_k) / ‖p − p_k‖²): the neighbours' SPFH weighted by
///    inverse **squared** distance (Open3D's choice, not the paper's 1/distance), each 11-bin part
///    rescaled to sum to 100, so each part of the FPFH sums to 200.
/// A point with no neighbour but itself gets an all-zero feature.
public struct FPFH: Sendable, Equatable {
    /// Bins per angle histogram.
    public static let binsPerAngle = 11
    /// Feature length: three angle histograms.
    public static let dimension = 3 * binsPerAngle

    /// Neighbourhood radius, in the cloud's units.
    public var radius: Float
    /// Most neighbours used (nearest first), the point itself included.
    public var maxNeighbors: Int

    /// Fewest points handed to one core.
    static let minimumPointsPerChunk = 256

    /// An FPFH extractor with Open3D's hybrid neighbourhood.
    public init(radius: Float, maxNeighbors: Int) {
        self.radius = radius
        self.maxNeighbors = maxNeighbors
    }

    /// The `[N, 33]` features of `cloud` with unit `normals` (`[N, 3]` flat); `tree` must have been
    /// built over `cloud`.
    public func features(of cloud: PointCloud, normals: [Float], tree: KDTree) throws -> Tensor {
        precondition(tree.count == cloud.count, "the k-d tree was built over a different cloud")
        precondition(normals.count == cloud.coordinates.count, "one normal per point")
        guard radius.isFinite, radius > 0 else {
            throw BaselineError.invalidParameter(name: "FPFH radius", value: "\(radius)", requirement: "finite and > 0")
        }
        guard maxNeighbors >= 2 else {
            throw BaselineError.invalidParameter(name: "FPFH neighbours", value: "\(maxNeighbors)", requirement: ">= 2")
        }
        let neighbors = tree.nearest(k: maxNeighbors, within: radius, to: cloud)
        let n = cloud.count, d = Self.dimension
        var spfh = [Double](repeating: 0, count: n * d)
        var fpfh = [Float](repeating: 0, count: n * d)
        let chunks = ParallelMap.chunkCount(for: n, minimumChunk: Self.minimumPointsPerChunk)
        cloud.coordinates.withUnsafeBufferPointer { points in
            normals.withUnsafeBufferPointer { normals in
                neighbors.indices.withUnsafeBufferPointer { indices in
                    spfh.withUnsafeMutableBufferPointer { spfh in
                        ParallelMap.perform(chunks: chunks) { chunk in
                            for i in ParallelMap.range(chunk, of: chunks, count: n) {
                                let range = neighbors.offsets[i]..<neighbors.offsets[i + 1]
                                Self.accumulateSPFH(
                                    of: i, neighbors: UnsafeBufferPointer(rebasing: indices[range]),
                                    points: points, normals: normals, into: spfh.baseAddress! + i * d)
                            }
                        }
                    }
                    spfh.withUnsafeBufferPointer { spfh in
                        fpfh.withUnsafeMutableBufferPointer { fpfh in
                            ParallelMap.perform(chunks: chunks) { chunk in
                                for i in ParallelMap.range(chunk, of: chunks, count: n) {
                                    let range = neighbors.offsets[i]..<neighbors.offsets[i + 1]
                                    Self.combine(
                                        i, neighbors: UnsafeBufferPointer(rebasing: indices[range]),
                                        points: points, spfh: spfh, into: fpfh.baseAddress! + i * d)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, d], storage: fpfh)
    }

    /// Adds the SPFH of point `i` (neighbours `neighbors`, itself first) into `histogram` (33 values).
    static func accumulateSPFH(
        of i: Int, neighbors: UnsafeBufferPointer<Int32>,
        points: UnsafeBufferPointer<Float>, normals: UnsafeBufferPointer<Float>,
        into histogram: UnsafeMutablePointer<Double>
    ) {
        guard neighbors.count > 1 else { return }
        let increment = 100 / Double(neighbors.count - 1)
        let p = vector(i, points), n = vector(i, normals)
        // Open3D skips the first neighbour, the query itself (or a coincident twin, which gives
        // the same features).
        for k in 1..<neighbors.count {
            let j = Int(neighbors[k])
            let f = pairFeatures(p, n, vector(j, points), vector(j, normals))
            histogram[bin(f.theta, lower: -.pi, upper: .pi)] += increment
            histogram[binsPerAngle + bin(f.alpha, lower: -1, upper: 1)] += increment
            histogram[2 * binsPerAngle + bin(f.phi, lower: -1, upper: 1)] += increment
        }
    }

    /// Writes the FPFH of point `i` from the SPFH table: own SPFH plus the normalised
    /// inverse-squared-distance-weighted sum of the neighbours' SPFH.
    static func combine(
        _ i: Int, neighbors: UnsafeBufferPointer<Int32>,
        points: UnsafeBufferPointer<Float>, spfh: UnsafeBufferPointer<Double>,
        into feature: UnsafeMutablePointer<Float>
    ) {
        guard neighbors.count > 1 else { return }
        let d = dimension
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { sum in
            sum.initialize(repeating: 0)
            let p = vector(i, points)
            for k in 1..<neighbors.count {
                let j = Int(neighbors[k])
                let delta = vector(j, points) - p
                let squaredDistance = (delta * delta).sum()
                guard squaredDistance != 0 else { continue }
                let row = spfh.baseAddress! + j * d
                for b in 0..<d { sum[b] += row[b] / squaredDistance }
            }
            for part in 0..<3 {
                let bins = (part * binsPerAngle)..<((part + 1) * binsPerAngle)
                var total = 0.0
                for b in bins { total += sum[b] }
                let scale = total != 0 ? 100 / total : 1
                for b in bins { feature[b] = Float(sum[b] * scale + spfh[i * d + b]) }
            }
        }
    }

    /// Open3D's pair features of a point (p1, n1) and a neighbour (p2, n2): θ ∈ [−π, π],
    /// α = v·n_t ∈ [−1, 1], φ ∈ [−1, 1] and the distance; all zero when the points coincide or the
    /// connecting line is parallel to the source normal.
    ///
    /// The source is the point whose normal makes the smaller angle with the line p1→p2 (ties
    /// keep p1); with d the line from source to target: v = d × n_s / |d × n_s|, w = n_s × v,
    /// θ = atan2(w·n_t, n_s·n_t), φ = ±n·d/|d| (the source's cosine, negated when swapped).
    public static func pairFeatures(
        _ p1: SIMD3<Double>, _ n1: SIMD3<Double>, _ p2: SIMD3<Double>, _ n2: SIMD3<Double>
    ) -> (theta: Double, alpha: Double, phi: Double, distance: Double) {
        var line = p2 - p1
        let distance = (line * line).sum().squareRoot()
        guard distance != 0 else { return (0, 0, 0, 0) }
        var source = n1, target = n2
        let cosine1 = (n1 * line).sum() / distance
        let cosine2 = (n2 * line).sum() / distance
        let phi: Double
        if acos(abs(cosine1)) > acos(abs(cosine2)) {
            (source, target) = (n2, n1)
            line = -line
            phi = -cosine2
        } else {
            phi = cosine1
        }
        var v = RobustEigenvector3.cross(line, source)
        let length = (v * v).sum().squareRoot()
        guard length != 0 else { return (0, 0, 0, 0) }
        v /= length
        let w = RobustEigenvector3.cross(source, v)
        let alpha = (v * target).sum()
        let theta = atan2((w * target).sum(), (source * target).sum())
        return (theta, alpha, phi, distance)
    }

    /// The bin of `value` among 11 equal bins of [lower, upper], clamped to the first and last bin.
    static func bin(_ value: Double, lower: Double, upper: Double) -> Int {
        let position = (Double(binsPerAngle) * (value - lower) / (upper - lower)).rounded(.down)
        return Int(min(max(position, 0), Double(binsPerAngle - 1)))
    }

    /// Row `i` of a flat `[N, 3]` array, in `Double`.
    static func vector(_ i: Int, _ flat: UnsafeBufferPointer<Float>) -> SIMD3<Double> {
        SIMD3(Double(flat[3 * i]), Double(flat[3 * i + 1]), Double(flat[3 * i + 2]))
    }
}
