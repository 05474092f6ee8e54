/// A proper rigid motion `p ↦ R·p + t` in 3-D (rotation with determinant +1, then translation).
public struct RigidTransform: Sendable, Equatable {
    /// The rotation `R` as a row-major 3 × 3 matrix (9 values).
    public var rotation: [Float]
    /// The translation `t`, applied after the rotation.
    public var translation: SIMD3<Float>

    /// A transform from a row-major 3 × 3 rotation and a translation.
    public init(rotation: [Float], translation: SIMD3<Float>) {
        precondition(rotation.count == 9, "rotation needs 9 values, got \(rotation.count)")
        self.rotation = rotation
        self.translation = translation
    }

    /// The identity motion.
    public static let identity = RigidTransform(rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: .zero)

    /// `R · point + t`.
    public func apply(_ point: SIMD3<Float>) -> SIMD3<Float> {
        let r = rotation
        return SIMD3(
            r[0] * point.x + r[1] * point.y + r[2] * point.z,
            r[3] * point.x + r[4] * point.y + r[5] * point.z,
            r[6] * point.x + r[7] * point.y + r[8] * point.z) + translation
    }

    /// The transform applied to every point of flat `[N, 3]` coordinates.
    public func apply(toCoordinates coordinates: [Float]) -> [Float] {
        precondition(coordinates.count % 3 == 0, "coordinates must hold x, y, z triples")
        var result = [Float](repeating: 0, count: coordinates.count)
        for i in stride(from: 0, to: coordinates.count, by: 3) {
            let p = apply(SIMD3(coordinates[i], coordinates[i + 1], coordinates[i + 2]))
            result[i] = p.x; result[i + 1] = p.y; result[i + 2] = p.z
        }
        return result
    }

    /// This motion, then `next`: `p ↦ next(self(p))`.
    public func followed(by next: RigidTransform) -> RigidTransform {
        let (a, b) = (next.rotation, rotation)
        var product = [Float](repeating: 0, count: 9)
        for r in 0..<3 {
            for c in 0..<3 { product[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c] }
        }
        return RigidTransform(rotation: product, translation: next.apply(translation))
    }
}

extension LinearAlgebra {
    /// The least-squares rigid motion mapping `source[i]` onto `target[i]` (Kabsch 1976): minimises
    /// `Σ ‖R·sᵢ + t − tᵢ‖²` over proper rotations. Both are flat `[N, 3]` coordinates of equal
    /// length with N ≥ 1. A reflection in the SVD solution is turned into a rotation by flipping
    /// the axis of the smallest singular value, so `det R = +1`. Nil if the SVD fails.
    public static func rigidAlignment(from source: [Float], to target: [Float]) -> RigidTransform? {
        precondition(source.count == target.count, "rigidAlignment: \(source.count) vs \(target.count) coordinates")
        precondition(source.count >= 3 && source.count % 3 == 0, "rigidAlignment needs at least one x, y, z triple")
        let sourceCentroid = centroid(source), targetCentroid = centroid(target)
        // H = Σ (s − s̄)(t − t̄)ᵀ, accumulated in Double because the centred products of large
        // point sets lose digits fast in Float.
        var covariance = [Double](repeating: 0, count: 9)
        for i in stride(from: 0, to: source.count, by: 3) {
            let s = point(at: i, in: source) - sourceCentroid, t = point(at: i, in: target) - targetCentroid
            for r in 0..<3 {
                for c in 0..<3 { covariance[3 * r + c] += s[r] * t[c] }
            }
        }
        guard let (u, _, vt) = thinSVD(covariance.map { Float($0) }, rows: 3, columns: 3) else { return nil }
        // H = U S Vᵀ gives R = V diag(1, 1, d) Uᵀ with d = sign(det(V Uᵀ)) = sign(det V · det U).
        let d: Float = determinant3(u) * determinant3(vt) < 0 ? -1 : 1
        var rotation = [Float](repeating: 0, count: 9)
        for r in 0..<3 {
            for c in 0..<3 {
                rotation[3 * r + c] = vt[r] * u[3 * c] + vt[3 + r] * u[3 * c + 1] + d * vt[6 + r] * u[3 * c + 2]
            }
        }
        let rotated = RigidTransform(rotation: rotation, translation: .zero).apply(SIMD3<Float>(sourceCentroid))
        return RigidTransform(rotation: rotation, translation: SIMD3<Float>(targetCentroid) - rotated)
    }

    /// The point starting at flat offset `offset` of `[N, 3]` coordinates, in Double.
    private static func point(at offset: Int, in coordinates: [Float]) -> SIMD3<Double> {
        SIMD3(Double(coordinates[offset]), Double(coordinates[offset + 1]), Double(coordinates[offset + 2]))
    }

    /// Mean of flat `[N, 3]` coordinates, accumulated in Double (the origin when there are none):
    /// the one centroid of ad3d (`PointCloud.centroid` uses it).
    package static func centroid(_ coordinates: [Float]) -> SIMD3<Double> {
        guard !coordinates.isEmpty else { return .zero }
        var sum = SIMD3<Double>.zero
        for i in stride(from: 0, to: coordinates.count, by: 3) { sum += point(at: i, in: coordinates) }
        return sum / Double(coordinates.count / 3)
    }

    /// Determinant of a row-major 3 × 3 matrix.
    private static func determinant3(_ m: [Float]) -> Float {
        m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    }
}
