import Foundation

/// The eigenvector of the smallest eigenvalue of a symmetric 3×3 matrix, by the closed-form
/// "robust eigensolver" of D. Eberly (Geometric Tools, "A Robust Eigensolver for 3×3 Symmetric
/// Matrices"), the method behind Open3D's default (`fast_normal_computation`) normal estimation.
///
/// Normals are only defined up to sign, and FPFH depends on that sign; following the same
/// construction step by step (which rows are crossed, how the second eigenvector is built from an
/// orthonormal complement) gives the same sign as Open3D, so FPFH features agree with it.
enum RobustEigenvector3 {
    /// A symmetric matrix by its six distinct entries.
    struct Symmetric {
        var xx, xy, xz, yy, yz, zz: Double

        /// `self · v`.
        func times(_ v: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(xx * v.x + xy * v.y + xz * v.z, xy * v.x + yy * v.y + yz * v.z, xz * v.x + yz * v.y + zz * v.z)
        }

        /// Every entry divided by `s`.
        func scaled(by s: Double) -> Symmetric {
            Symmetric(xx: xx / s, xy: xy / s, xz: xz / s, yy: yy / s, yz: yz / s, zz: zz / s)
        }
    }

    /// The unit eigenvector of the smallest eigenvalue, or zero for the zero matrix.
    ///
    /// Eigenvalues come from the trigonometric solution of the characteristic cubic of the matrix
    /// scaled by its largest entry. The eigenvector of the extreme eigenvalue that is best separated
    /// (the largest when the half-determinant is ≥ 0, else the smallest) is a normalised cross product
    /// of two rows of `A − λI`; the middle one is solved in the plane orthogonal to it; the third is
    /// their cross product. A diagonal matrix returns the axis of its strictly smallest entry (z on ties).
    static func smallest(of matrix: Symmetric) -> SIMD3<Double> {
        let largest = max(matrix.xx, matrix.xy, matrix.xz, matrix.yy, matrix.yz, matrix.zz)
        guard largest != 0 else { return .zero }
        let a = matrix.scaled(by: largest)
        let offDiagonal = a.xy * a.xy + a.xz * a.xz + a.yz * a.yz
        guard offDiagonal > 0 else {
            if a.xx < a.yy && a.xx < a.zz { return SIMD3(1, 0, 0) }
            if a.yy < a.xx && a.yy < a.zz { return SIMD3(0, 1, 0) }
            return SIMD3(0, 0, 1)
        }
        let q = (a.xx + a.yy + a.zz) / 3
        let b00 = a.xx - q, b11 = a.yy - q, b22 = a.zz - q
        let p = ((b00 * b00 + b11 * b11 + b22 * b22 + 2 * offDiagonal) / 6).squareRoot()
        let c00 = b11 * b22 - a.yz * a.yz
        let c01 = a.xy * b22 - a.yz * a.xz
        let c02 = a.xy * a.yz - b11 * a.xz
        let halfDeterminant = min(max((b00 * c00 - a.xy * c01 + a.xz * c02) / (p * p * p) / 2, -1), 1)
        let angle = acos(halfDeterminant) / 3
        let twoThirdsPi = 2.09439510239319549
        let beta2 = cos(angle) * 2
        let beta0 = cos(angle + twoThirdsPi) * 2
        let beta1 = -(beta0 + beta2)
        let value0 = q + p * beta0, value1 = q + p * beta1, value2 = q + p * beta2

        if halfDeterminant >= 0 {
            let vector2 = extremeEigenvector(a, value2)
            if value2 < value0 && value2 < value1 { return vector2 }
            let vector1 = middleEigenvector(a, orthogonalTo: vector2, value1)
            if value1 < value0 && value1 < value2 { return vector1 }
            return cross(vector1, vector2)
        } else {
            let vector0 = extremeEigenvector(a, value0)
            if value0 < value1 && value0 < value2 { return vector0 }
            let vector1 = middleEigenvector(a, orthogonalTo: vector0, value1)
            if value1 < value0 && value1 < value2 { return vector1 }
            return cross(vector0, vector1)
        }
    }

    /// The eigenvector of a simple eigenvalue `value`: the longest cross product of two rows of
    /// `a − value·I` (first of equal lengths, in the order r0×r1, r0×r2, r1×r2), normalised.
    private static func extremeEigenvector(_ a: Symmetric, _ value: Double) -> SIMD3<Double> {
        let row0 = SIMD3(a.xx - value, a.xy, a.xz)
        let row1 = SIMD3(a.xy, a.yy - value, a.yz)
        let row2 = SIMD3(a.xz, a.yz, a.zz - value)
        var best = cross(row0, row1)
        var bestLength = dot(best, best)
        let second = cross(row0, row2), third = cross(row1, row2)
        if dot(second, second) > bestLength { (best, bestLength) = (second, dot(second, second)) }
        if dot(third, third) > bestLength { (best, bestLength) = (third, dot(third, third)) }
        return best / bestLength.squareRoot()
    }

    /// The eigenvector of `value` in the plane orthogonal to the unit eigenvector `known`: with an
    /// orthonormal basis (u, v) of that plane, the null vector of the 2×2 matrix `[u v]ᵀ(a − value·I)[u v]`,
    /// taken from its row of larger magnitude for accuracy.
    private static func middleEigenvector(
        _ a: Symmetric, orthogonalTo known: SIMD3<Double>, _ value: Double
    ) -> SIMD3<Double> {
        let u: SIMD3<Double>
        if abs(known.x) > abs(known.y) {
            u = SIMD3(-known.z, 0, known.x) / (known.x * known.x + known.z * known.z).squareRoot()
        } else {
            u = SIMD3(0, known.z, -known.y) / (known.y * known.y + known.z * known.z).squareRoot()
        }
        let v = cross(known, u)
        let au = a.times(u), av = a.times(v)
        var m00 = dot(u, au) - value
        var m01 = dot(u, av)
        var m11 = dot(v, av) - value
        if abs(m00) >= abs(m11) {
            guard max(abs(m00), abs(m01)) > 0 else { return u }
            if abs(m00) >= abs(m01) {
                m01 /= m00
                m00 = 1 / (1 + m01 * m01).squareRoot()
                m01 *= m00
            } else {
                m00 /= m01
                m01 = 1 / (1 + m00 * m00).squareRoot()
                m00 *= m01
            }
            return m01 * u - m00 * v
        } else {
            guard max(abs(m11), abs(m01)) > 0 else { return u }
            if abs(m11) >= abs(m01) {
                m01 /= m11
                m11 = 1 / (1 + m01 * m01).squareRoot()
                m01 *= m11
            } else {
                m11 /= m01
                m01 = 1 / (1 + m11 * m11).squareRoot()
                m11 *= m01
            }
            return m11 * u - m01 * v
        }
    }

    /// Cross product.
    static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    /// Dot product.
    static func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        a.x * b.x + a.y * b.y + a.z * b.z
    }
}
