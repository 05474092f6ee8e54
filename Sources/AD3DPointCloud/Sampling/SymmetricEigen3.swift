/// Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations in `Double`.
///
/// Accurate for every input, including repeated eigenvalues, where closed-form cubic solvers lose
/// precision; cheap enough (a few sweeps of three rotations) for one call per point.
/// `LinearAlgebra.symmetricEigen` (LAPACKE `ssyevd`) is the reference it is tested against.
struct SymmetricEigen3 {
    /// Eigenvalues, ascending.
    var values: SIMD3<Double>
    /// Unit eigenvectors matching `values`.
    var vectors: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    /// A row-major 3×3 matrix stored inline (no heap allocation).
    typealias Matrix = InlineArray<9, Double>

    /// Upper bound on Jacobi sweeps; three to six are needed in practice.
    static let maximumSweeps = 32

    /// Decomposes the matrix with rows `(xx xy xz; xy yy yz; xz yz zz)`.
    init(xx: Double, xy: Double, xz: Double, yy: Double, yz: Double, zz: Double) {
        var a: Matrix = [xx, xy, xz, xy, yy, yz, xz, yz, zz]
        var v: Matrix = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        let scale = xx * xx + yy * yy + zz * zz + 2 * (xy * xy + xz * xz + yz * yz)
        for _ in 0..<Self.maximumSweeps {
            let offDiagonal = a[1] * a[1] + a[2] * a[2] + a[5] * a[5]
            if offDiagonal <= scale * 1e-32 { break }
            Self.rotate(&a, &v, 0, 1)
            Self.rotate(&a, &v, 0, 2)
            Self.rotate(&a, &v, 1, 2)
        }
        // Stable three-element sort of the diagonal, carrying column indices.
        var order = SIMD3(0, 1, 2)
        func swapIfGreater(_ i: Int, _ j: Int) {
            if a[4 * order[i]] > a[4 * order[j]] { (order[i], order[j]) = (order[j], order[i]) }
        }
        swapIfGreater(0, 1)
        swapIfGreater(1, 2)
        swapIfGreater(0, 1)
        func column(_ j: Int) -> SIMD3<Double> { SIMD3(v[j], v[3 + j], v[6 + j]) }
        values = SIMD3(a[4 * order[0]], a[4 * order[1]], a[4 * order[2]])
        vectors = (column(order[0]), column(order[1]), column(order[2]))
    }

    /// Applies the Jacobi rotation that zeroes `a[p][q]` (row-major 3×3) and accumulates it into `v`.
    private static func rotate(_ a: inout Matrix, _ v: inout Matrix, _ p: Int, _ q: Int) {
        let apq = a[3 * p + q]
        guard apq != 0 else { return }
        let r = 3 - p - q
        let theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq)
        // For huge theta, theta² overflows; t ≈ 1/(2θ) is then exact to double precision.
        let t = abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta < 0 ? -1 : 1) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        a[3 * p + p] -= t * apq
        a[3 * q + q] += t * apq
        a[3 * p + q] = 0
        a[3 * q + p] = 0
        let arp = a[3 * r + p], arq = a[3 * r + q]
        a[3 * r + p] = c * arp - s * arq
        a[3 * p + r] = a[3 * r + p]
        a[3 * r + q] = s * arp + c * arq
        a[3 * q + r] = a[3 * r + q]
        for k in 0..<3 {
            let vkp = v[3 * k + p], vkq = v[3 * k + q]
            v[3 * k + p] = c * vkp - s * vkq
            v[3 * k + q] = s * vkp + c * vkq
        }
    }
}
