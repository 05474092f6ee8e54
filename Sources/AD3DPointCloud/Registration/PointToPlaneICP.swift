import AD3DTensor
import Foundation

/// Trimmed point-to-plane ICP onto a cloud with normals (Chen & Medioni 1992; each step linearised
/// for small rotations as in Low 2004): every step moves the scan by the small rigid motion that
/// best puts its points on the tangent planes of their nearest target points. Unlike
/// point-to-point ICP it slides freely along flat faces, so a scan that starts off by a few
/// percent of its size — a single view framed on its own centroid — still lands in place.
public struct PointToPlaneICP: Sendable {
    /// Points of the scan used (a fixed-seed subset).
    public var points = 2048
    /// Steps taken.
    public var iterations = 30
    /// Fraction of the closest correspondences each step fits (the rest may be a defect).
    public var inlierFraction: Float = 0.9
    /// The iteration stops once a step moves the scan less than this (its translation plus its
    /// rotation angle in radians); 0 always takes every step.
    public var convergence: Float = 0

    /// The target cloud.
    package let target: PointCloud
    /// Unit normals of the target points, `[N, 3]` flat.
    package let normals: [Float]
    /// The k-d tree over `target`.
    package let tree: KDTree

    /// ICP onto `target` with its `normals` and a k-d tree built over it.
    package init(target: PointCloud, normals: [Float], tree: KDTree) {
        precondition(normals.count == 3 * target.count && tree.count == target.count, "ICP needs one normal per target point and its tree")
        self.target = target
        self.normals = normals
        self.tree = tree
    }

    /// The unit normal of target point `index`.
    package func normal(of index: Int) -> SIMD3<Float> {
        SIMD3(normals[3 * index], normals[3 * index + 1], normals[3 * index + 2])
    }

    /// The motion taking `cloud` (at least 3 finite points), already about in place, onto the target.
    public func refinement(of cloud: PointCloud) throws -> RigidTransform {
        try cloud.requireFiniteCoordinates(operation: "point-to-plane ICP")
        guard cloud.count >= 3 else { throw SamplingError.tooFewPoints(operation: "point-to-plane ICP", required: 3, available: cloud.count) }
        let subset = try Downsampling.fixedSubset(cloud, count: points)
        var transform = RigidTransform.identity
        for _ in 0..<iterations {
            guard let step = step(for: transform.apply(to: subset)) else { break }
            transform = transform.followed(by: step)
            if Self.size(of: step) < convergence { break }
        }
        return transform
    }

    /// How far `motion` moves points near the origin: its translation's length plus its rotation
    /// angle (from the skew part of the matrix, accurate for the small angles of late steps).
    static func size(of motion: RigidTransform) -> Float {
        let r = motion.rotation
        let skew = SIMD3(r[7] - r[5], r[2] - r[6], r[3] - r[1]) / 2
        let t = motion.translation
        return (t * t).sum().squareRoot() + asin(min(1, (skew * skew).sum().squareRoot()))
    }

    /// The linearised motion of one step for the scan points `moved` (nil when degenerate):
    /// minimises Σ ((R·a + t − b)·n)² over the kept pairs with R ≈ I + [ω]×, i.e. the least
    /// squares of rows `[a × n, n]·[ω; t] = (b − a)·n`.
    func step(for moved: PointCloud) -> RigidTransform? {
        let nearest = tree.nearest(k: 1, to: moved)
        let keep = max(6, Int((Float(moved.count) * inlierFraction).rounded()))
        var equations = [Double](repeating: 0, count: 36), right = [Double](repeating: 0, count: 6)
        func add(_ i: Int) {
            let j = Int(nearest.indices[i])
            let a = SIMD3<Double>(moved[i]), b = SIMD3<Double>(target[j])
            let n = SIMD3<Double>(normal(of: j))
            let c = SIMD3(a.y * n.z - a.z * n.y, a.z * n.x - a.x * n.z, a.x * n.y - a.y * n.x)
            let row = SIMD8<Double>(c.x, c.y, c.z, n.x, n.y, n.z, 0, 0), residual = ((b - a) * n).sum()
            for r in 0..<6 {
                right[r] += row[r] * residual
                for k in 0..<6 { equations[6 * r + k] += row[r] * row[k] }
            }
        }
        for i in nearest.queriesClosestFirst(keeping: keep) { add(i) }
        guard let x = LinearAlgebra.solve(equations, right, n: 6), x.allSatisfy(\.isFinite) else { return nil }
        let omega = SIMD3<Float>(Float(x[0]), Float(x[1]), Float(x[2]))
        let angle = (omega * omega).sum().squareRoot()
        let translation = SIMD3<Float>(Float(x[3]), Float(x[4]), Float(x[5]))
        return angle > 0 ? RigidTransform(axis: omega / angle, angle: angle, translation: translation)
            : RigidTransform(rotation: RigidTransform.identity.rotation, translation: translation)
    }
}
