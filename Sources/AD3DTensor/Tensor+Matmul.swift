/// Matrix products through CBLAS `sgemm`: 2-D, batched rank-3, and the linear layer `x·Wᵀ + b`.
extension Tensor {
    /// Matrix product of two rank-2 tensors: `op(self) · op(other)`, where `op` transposes when the
    /// flag is set. Shapes: `self` is `[M, K]` (or `[K, M]` transposed), `other` is `[K, N]`
    /// (or `[N, K]` transposed); the result is `[M, N]`. Transposes are passed to BLAS, not copied.
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let dims = Tensor.productDimensions(shape, other.shape, transposeA: transposeA, transposeB: transposeB)
        var result = Tensor(shape: [dims.m, dims.n])
        Tensor.gemm(self, other, into: &result, transposeA: transposeA, transposeB: transposeB)
        return result
    }

    /// `c ← alpha · op(a) · op(b) + beta · c` for rank-2 tensors (BLAS `sgemm` semantics);
    /// `c` must already have shape `[M, N]`. Use `beta: 1` to accumulate into `c`.
    public static func gemm(
        _ a: Tensor, _ b: Tensor, into c: inout Tensor,
        transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
    ) {
        let dims = productDimensions(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
        precondition(c.shape == [dims.m, dims.n], "gemm output has shape \(c.shape), expected \([dims.m, dims.n])")
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    sgemm(
                        ap.baseAddress, bp.baseAddress, cp.baseAddress, m: dims.m, n: dims.n, k: dims.k,
                        transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
                }
            }
        }
    }

    /// Batched matrix product of rank-3 tensors: for each `i` in `0..<B`, `op(self[i]) · op(other[i])`.
    /// Shapes `[B, M, K]` (or `[B, K, M]` transposed) and `[B, K, N]` (or `[B, N, K]`) give `[B, M, N]`.
    /// Runs one `sgemm` per batch on pointer offsets into the contiguous storage, without copies.
    public func batchedMatmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(rank == 3 && other.rank == 3, "batchedMatmul needs rank-3 tensors, got \(shape) and \(other.shape)")
        precondition(shape[0] == other.shape[0], "batch sizes differ: \(shape) vs \(other.shape)")
        let batch = shape[0]
        let (m, n, k) = Tensor.productDimensions(
            Array(shape[1...]), Array(other.shape[1...]), transposeA: transposeA, transposeB: transposeB)
        var result = Tensor(shape: [batch, m, n])
        storage.withUnsafeBufferPointer { ap in
            other.storage.withUnsafeBufferPointer { bp in
                result.storage.withUnsafeMutableBufferPointer { cp in
                    for i in 0..<batch {
                        Tensor.sgemm(
                            ap.baseAddress.map { $0 + i * m * k }, bp.baseAddress.map { $0 + i * k * n },
                            cp.baseAddress.map { $0 + i * m * n }, m: m, n: n, k: k,
                            transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0)
                    }
                }
            }
        }
        return result
    }

    /// Linear layer `self · weightᵀ + bias` with PyTorch's weight layout: `self` is `[..., in]`,
    /// `weight` is `[out, in]`, `bias` (optional) is `[out]`; the result is `[..., out]`.
    /// The bias is written first and accumulated into by `sgemm` (`beta = 1`), so it costs no extra pass.
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(rank >= 1 && weight.rank == 2, "linear expects [..., in] input and [out, in] weight, got \(shape) and \(weight.shape)")
        let inputs = lastDimension, outputs = weight.shape[0], rows = rowCount
        precondition(weight.shape[1] == inputs, "linear weight \(weight.shape) does not take input \(shape)")
        var output = Tensor(shape: [rows, outputs])
        if let bias {
            precondition(bias.shape == [outputs], "linear bias has shape \(bias.shape), expected [\(outputs)]")
            output.addRowVector(bias)
        }
        Tensor.gemm(reshaped([rows, inputs]), weight, into: &output, transposeB: true, beta: bias == nil ? 0 : 1)
        return output.reshaped(Array(shape.dropLast()) + [outputs])
    }

    /// `(M, N, K)` of `op(a) · op(b)` for matrix shapes `a` and `b`, checking that the inner dimensions agree.
    private static func productDimensions(
        _ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool
    ) -> (m: Int, n: Int, k: Int) {
        precondition(a.count == 2 && b.count == 2, "matmul needs matrices, got shapes \(a) and \(b)")
        let (m, k) = transposeA ? (a[1], a[0]) : (a[0], a[1])
        let (kb, n) = transposeB ? (b[1], b[0]) : (b[0], b[1])
        precondition(k == kb, "inner dimensions differ: \(a) vs \(b) (transposeA: \(transposeA), transposeB: \(transposeB))")
        return (m, n, k)
    }

    /// Row-major `sgemm` on contiguous raw storage (leading dimensions from the shapes).
    private static func sgemm(
        _ a: UnsafePointer<Float>?, _ b: UnsafePointer<Float>?, _ c: UnsafeMutablePointer<Float>?,
        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float
    ) {
        BLAS.sgemm(
            a, lda: transposeA ? m : k, b, ldb: transposeB ? k : n, into: c, ldc: n, m: m, n: n, k: k,
            transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
    }
}
