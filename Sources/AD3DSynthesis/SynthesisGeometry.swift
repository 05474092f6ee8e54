import AD3DSupport
import Foundation

/// Small vector helpers shared by the synthesis code.
package enum SynthesisGeometry {
    /// The cross product `a × b`.
    static func cross<T: SIMDScalar & FloatingPoint>(_ a: SIMD3<T>, _ b: SIMD3<T>) -> SIMD3<T> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    /// The dot product `a · b`.
    static func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }

    /// The Euclidean length of `v`.
    static func length(_ v: SIMD3<Float>) -> Float { (v * v).sum().squareRoot() }

    /// `v` scaled to unit length (or `v` itself when it is zero).
    static func normalized(_ v: SIMD3<Float>) -> SIMD3<Float> {
        let l = length(v)
        return l > 0 ? v / l : v
    }

    /// A unit vector uniform on the sphere.
    package static func randomDirection(using generator: inout SeededGenerator) -> SIMD3<Float> {
        while true {
            let v = SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            let l = length(v)
            if l > 1e-6 { return v / l }
        }
    }

    /// A unit vector perpendicular to the unit vector `n`, at a uniformly random angle around it.
    static func randomTangent(to n: SIMD3<Float>, using generator: inout SeededGenerator) -> SIMD3<Float> {
        let helper: SIMD3<Float> = abs(n.x) < 0.9 ? [1, 0, 0] : [0, 1, 0]
        let u = normalized(cross(n, helper)), v = cross(n, u)
        let angle = 2 * Float.pi * generator.nextUnitFloat()
        return cos(angle) * u + sin(angle) * v
    }
}
