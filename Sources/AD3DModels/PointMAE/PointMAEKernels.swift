import AD3DTensor
import Foundation

/// Raw-pointer kernels for the encoder's hot paths, where `Tensor` copies would cost more than the
/// arithmetic: the linear layer, row softmax and max-pooling over the points of each group (the
/// strided products, e.g. attention heads as column blocks of the qkv matrix, call `BLAS.sgemm`).
enum PointMAEKernels {
    /// `rows × width` dense layer `Y = X·Wᵀ + b` on raw rows (X row stride `inputs`), `weight` `[width, inputs]`.
    static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        width: Int, into y: UnsafeMutablePointer<Float>
    ) {
        if let bias {
            for r in 0..<rows { (y + r * width).update(from: bias, count: width) }
        }
        BLAS.sgemm(x, lda: inputs, weight, ldb: inputs, into: y, ldc: width, m: rows, n: width, k: inputs,
             transposeB: true, beta: bias == nil ? 0 : 1)
    }

    /// The unnormalised, numerically stable softmax of each of `rows` rows of `width` values (row
    /// stride `width`): every value becomes `exp(x − row max)`, and `inverseSums[r]` receives the
    /// reciprocal of row r's Float-accumulated sum. Leaving the division to the caller lets attention
    /// scale its d_h-wide output rows instead of the G-wide score rows.
    ///
    /// Plain scalar loops with independent partial results: LLVM vectorises them, whereas Swift's
    /// `SIMD` types compile to per-lane loops here.
    static func exponentiateRows(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, inverseSums: UnsafeMutablePointer<Float>
    ) {
        let unrolled = width - width % 4
        for r in 0..<rows {
            let row = x + r * width
            var (m0, m1, m2, m3) = (-Float.infinity, -Float.infinity, -Float.infinity, -Float.infinity)
            for j in stride(from: 0, to: unrolled, by: 4) {
                m0 = row[j] > m0 ? row[j] : m0
                m1 = row[j + 1] > m1 ? row[j + 1] : m1
                m2 = row[j + 2] > m2 ? row[j + 2] : m2
                m3 = row[j + 3] > m3 ? row[j + 3] : m3
            }
            var peak = max(max(m0, m1), max(m2, m3))
            for j in unrolled..<width { peak = max(peak, row[j]) }
            for j in 0..<width { row[j] = exp(row[j] - peak) }
            var (s0, s1, s2, s3): (Float, Float, Float, Float) = (0, 0, 0, 0)
            for j in stride(from: 0, to: unrolled, by: 4) {
                s0 += row[j]
                s1 += row[j + 1]
                s2 += row[j + 2]
                s3 += row[j + 3]
            }
            var total = (s0 + s1) + (s2 + s3)
            for j in unrolled..<width { total += row[j] }
            inverseSums[r] = 1 / total
        }
    }

    /// `eˣ` with the Cephes `expf` scheme: `x = n·ln 2 + r` with |r| ≤ ln2/2 (ln 2 split in two parts
    /// for exactness), a degree-7 polynomial for `eʳ`, and `2ⁿ` built in the exponent bits. Branch-free
    /// so that loops over it vectorise. Relative error about 1e-7; inputs below −87.3 (results under
    /// 2⁻¹²⁶) return about 1e-38, NaN returns NaN.
    @inline(__always)
    static func exp(_ value: Float) -> Float {
        let low: Float = -87.336_54, high: Float = 88.376_26
        let x = value < low ? low : (value > high ? high : value)
        // Adding 1.5·2²³ rounds x·log₂e to the nearest integer n and leaves n in the low mantissa
        // bits, so neither a rounding call nor a float-to-integer conversion is needed.
        let magic: Float = 12_582_912
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * (r * r) + r + 1
        return y * Float(bitPattern: (shifted.bitPattern &- (0x4B40_0000 - 127)) &<< 23)
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
