import AD3DSupport
import Foundation

/// Rotations about an axis and uniformly random ones.
extension RigidTransform {
    /// The rotation by `angle` radians about the unit vector `axis` (Rodrigues), then `translation`.
    public init(axis: SIMD3<Float>, angle: Float, translation: SIMD3<Float> = .zero) {
        let c = cos(angle), s = sin(angle), t = 1 - c
        let (x, y, z) = (axis.x, axis.y, axis.z)
        self.init(
            rotation: [
                t * x * x + c, t * x * y - s * z, t * x * z + s * y,
                t * x * y + s * z, t * y * y + c, t * y * z - s * x,
                t * x * z - s * y, t * y * z + s * x, t * z * z + c,
            ],
            translation: translation)
    }

    /// `R·v`, the rotation alone (for directions).
    public func rotate(_ v: SIMD3<Float>) -> SIMD3<Float> {
        apply(v) - translation
    }

    /// The rotation of a uniformly random orientation (normalised Gaussian quaternion).
    package static func randomRotation(using generator: inout SeededGenerator) -> RigidTransform {
        var q = SIMD4<Float>.zero
        while (q * q).sum() < 1e-6 {
            q = SIMD4(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
        }
        q /= (q * q).sum().squareRoot()
        let (w, x, y, z) = (q.x, q.y, q.z, q.w)
        return RigidTransform(
            rotation: [
                1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
                2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
            ],
            translation: .zero)
    }
}
