import Foundation

/// Near-uniform unit directions on the sphere: the Fibonacci (golden-angle) lattice.
package enum FibonacciSphere {
    /// `count` unit vectors, the `i`-th at height `1 - (2i + 1) / count` and longitude `i` golden angles.
    package static func directions(count: Int) -> [SIMD3<Float>] {
        let goldenAngle = Double.pi * (3 - 5.0.squareRoot())
        return (0..<count).map { i in
            let z = 1 - (2 * Double(i) + 1) / Double(count)
            let radius = (1 - z * z).squareRoot(), longitude = goldenAngle * Double(i)
            return SIMD3<Float>(SIMD3(radius * cos(longitude), radius * sin(longitude), z))
        }
    }
}
