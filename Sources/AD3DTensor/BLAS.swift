import CBLAS

/// The one way into BLAS's matrix product: every sgemm of ad3d (tensors, the trainable layers'
/// fused attention, the encoder's raw kernels, the nearest-neighbour bank) goes through here, and
/// this target alone links CBLAS.
package enum BLAS {
    /// `C ← alpha · op(A) · op(B) + beta · C`, row-major with explicit leading dimensions (row
    /// strides): `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, C is `[m, n]`. An empty product
    /// (`k == 0`) scales C by `beta` here, because BLAS rejects leading dimensions of 0 and empty
    /// arrays have no base address.
    package static func sgemm(
        _ a: UnsafePointer<Float>?, lda: Int, _ b: UnsafePointer<Float>?, ldb: Int,
        into c: UnsafeMutablePointer<Float>?, ldc: Int, m: Int, n: Int, k: Int,
        transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0, let c else { return }
        guard k > 0, let a, let b else {
            for row in 0..<m {
                let out = c + row * ldc
                for j in 0..<n { out[j] = beta == 0 ? 0 : beta * out[j] }
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
}
