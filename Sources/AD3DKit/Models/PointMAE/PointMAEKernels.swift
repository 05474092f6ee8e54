import CBLAS
import Foundation

/// Raw-pointer kernels for the encoder's hot paths, where `Tensor` copies would cost more than the
/// arithmetic: strided `sgemm` (attention heads are column blocks of the qkv matrix), row softmax,
/// and max-pooling over the points of each group.
enum PointMAEKernels {
    /// `C ← alpha · A · op(B) + beta · C`, row-major with explicit leading dimensions:
    /// A is `[m, k]` (row stride `lda`), B is `[k, n]` or, transposed, `[n, k]` (row stride `ldb`),
    /// C is `[m, n]` (row stride `ldc`).
    static func gemm(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int,
        transposeB: Bool, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }

    /// `rows × width` dense layer `Y = X·Wᵀ + b` on raw rows (X row stride `inputs`), `weight` `[width, inputs]`.
    static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        width: Int, into y: UnsafeMutablePointer<Float>
    ) {
        if let bias {
            for r in 0..<rows { (y + r * width).update(from: bias, count: width) }
        }
        gemm(x, lda: inputs, weight, ldb: inputs, into: y, ldc: width, m: rows, n: width, k: inputs,
             transposeB: true, beta: bias == nil ? 0 : 1)
    }

    /// Numerically stable softmax of each of `rows` rows of `width` values (row stride `width`):
    /// shift by the row maximum, exponentiate, divide by the Float-accumulated sum.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width
            var peak = -Float.infinity
            for j in 0..<width { peak = max(peak, row[j]) }
            var total: Float = 0
            for j in 0..<width {
                let e = expf(row[j] - peak)
                row[j] = e
                total += e
            }
            let inverse = 1 / total
            for j in 0..<width { row[j] *= inverse }
        }
    }

    /// For each of `groups` groups of `size` consecutive rows of `width` channels, writes the
    /// channel-wise maximum over the group's rows to `out` (row stride `width`).
    static func maxPool(_ x: UnsafePointer<Float>, groups: Int, size: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        for g in 0..<groups {
            let target = out + g * width
            let first = x + g * size * width
            target.update(from: first, count: width)
            for k in 1..<max(size, 1) {
                let row = first + k * width
                for c in 0..<width { target[c] = max(target[c], row[c]) }
            }
        }
    }

    /// `max(x, 0)` in place on `count` values.
    static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count where x[i] < 0 { x[i] = 0 }
    }
}
