import AD3DTensor
import Foundation

/// Differentiable multi-head self-attention over a batch of equally long sequences, fused into
/// one tape node so that a mini-batch runs its row-wise layers as single matrices.
extension Variable {
    /// `self` is the fused projection `[B·T, 3D]` of `B` sequences of `sequenceLength` (T) rows,
    /// columns `[q | k | v]` with head `h` owning columns `h·d_h ..< (h+1)·d_h` of each third. Each
    /// sequence attends only to itself: per head `O = softmax(q·kᵀ/√d_h)·v`; heads are concatenated
    /// to `[B·T, D]`. With `P` the attention weights, the backward pass is `dV = Pᵀ·dO`,
    /// `dS = P ⊙ (dO·Vᵀ − rowsum(P ⊙ dO·Vᵀ))`, `dQ = dS·K/√d_h`, `dK = dSᵀ·Q/√d_h`.
    public func multiHeadAttention(sequenceLength: Int, headCount: Int) -> Variable {
        precondition(value.rank == 2 && shape[1] % (3 * headCount) == 0 && sequenceLength > 0 && shape[0] % sequenceLength == 0,
                     "attention over sequences of \(sequenceLength) with \(headCount) heads cannot split \(shape)")
        let (rows, width) = (shape[0], shape[1])
        let dimension = width / 3, headWidth = dimension / headCount, length = sequenceLength
        let sequences = rows / length, tile = length * length
        let scale = 1 / Float(headWidth).squareRoot()
        var output = Tensor(shape: [rows, dimension])
        // Attention weights of every (sequence, head), kept for the backward pass.
        var weights = [Float](repeating: 0, count: sequences * headCount * tile)
        value.storage.withUnsafeBufferPointer { qkv in
            output.storage.withUnsafeMutableBufferPointer { out in
                weights.withUnsafeMutableBufferPointer { p in
                    for sequence in 0..<sequences {
                        for head in 0..<headCount {
                            let q = qkv.baseAddress! + sequence * length * width + head * headWidth
                            let k = q + dimension, v = q + 2 * dimension
                            let s = p.baseAddress! + (sequence * headCount + head) * tile
                            BLAS.sgemm(q, lda: width, k, ldb: width, into: s, ldc: length, m: length, n: length, k: headWidth,
                                       transposeB: true, alpha: scale, beta: 0)
                            AttentionKernels.softmaxRows(s, rows: length, width: length)
                            let o = out.baseAddress! + sequence * length * dimension + head * headWidth
                            BLAS.sgemm(s, lda: length, v, ldb: width, into: o, ldc: dimension, m: length, n: headWidth, k: length, beta: 0)
                        }
                    }
                }
            }
        }
        return tape.record(output, inputs: [self]) { gradient in
            tape.accumulateGradient(of: self) { total in
                var scores = [Float](repeating: 0, count: tile)
                value.storage.withUnsafeBufferPointer { qkv in
                    gradient.storage.withUnsafeBufferPointer { g in
                        total.storage.withUnsafeMutableBufferPointer { d in
                            weights.withUnsafeBufferPointer { p in
                                scores.withUnsafeMutableBufferPointer { ds in
                                    let ds = ds.baseAddress!
                                    for sequence in 0..<sequences {
                                        for head in 0..<headCount {
                                            let offset = sequence * length * width + head * headWidth
                                            let q = qkv.baseAddress! + offset, k = q + dimension, v = q + 2 * dimension
                                            let dq = d.baseAddress! + offset, dk = dq + dimension, dv = dq + 2 * dimension
                                            let dO = g.baseAddress! + sequence * length * dimension + head * headWidth
                                            let weight = p.baseAddress! + (sequence * headCount + head) * tile
                                            BLAS.sgemm(weight, lda: length, dO, ldb: dimension, into: dv, ldc: width, m: length, n: headWidth, k: length, transposeA: true, beta: 1)
                                            BLAS.sgemm(dO, lda: dimension, v, ldb: width, into: ds, ldc: length, m: length, n: length, k: headWidth, transposeB: true, beta: 0)
                                            AttentionKernels.softmaxBackwardRows(ds, weights: weight, rows: length, width: length)
                                            BLAS.sgemm(ds, lda: length, k, ldb: width, into: dq, ldc: width, m: length, n: headWidth, k: length, alpha: scale, beta: 1)
                                            BLAS.sgemm(ds, lda: length, q, ldb: width, into: dk, ldc: width, m: length, n: headWidth, k: length, transposeA: true, alpha: scale, beta: 1)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Raw-pointer helpers of the fused attention.
enum AttentionKernels {
    /// Row softmax in place (the row maximum subtracted first).
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let r = x + row * width
            var largest = r[0]
            for j in 1..<width { largest = Swift.max(largest, r[j]) }
            var sum: Float = 0
            for j in 0..<width {
                r[j] = Foundation.exp(r[j] - largest)
                sum += r[j]
            }
            let inverse = 1 / sum
            for j in 0..<width { r[j] *= inverse }
        }
    }

    /// `g ← y ⊙ (g − rowsum(g ⊙ y))` in place: the softmax backward for outputs `y`.
    static func softmaxBackwardRows(_ g: UnsafeMutablePointer<Float>, weights y: UnsafePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let base = row * width
            var dot: Float = 0
            for j in 0..<width { dot += g[base + j] * y[base + j] }
            for j in 0..<width { g[base + j] = y[base + j] * (g[base + j] - dot) }
        }
    }
}
