import AD3DTensor

/// Differentiable matrix products, all through the BLAS `gemm` of `Tensor`.
extension Variable {
    /// Linear layer `self · weightᵀ + bias` on a `[N, in]` value with a PyTorch `[out, in]` weight
    /// and optional `[out]` bias; the result is `[N, out]`.
    public func linear(weight: Variable, bias: Variable? = nil) -> Variable {
        precondition(value.rank == 2, "linear expects a [N, in] input, got \(shape)")
        let output = value.linear(weight: weight.value, bias: bias?.value)
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        return tape.record(output, inputs: inputs) { gradient in
            // [N, out] · [out, in] → [N, in]
            tape.accumulateGradient(of: self) { Tensor.gemm(gradient, weight.value, into: &$0, beta: 1) }
            // [N, out]ᵀ · [N, in] → [out, in]
            tape.accumulateGradient(of: weight) {
                Tensor.gemm(gradient, value, into: &$0, transposeA: true, beta: 1)
            }
            if let bias, bias.requiresGradient { tape.accumulate(gradient.sum(alongAxis: 0), into: bias) }
        }
    }

    /// Matrix product `op(self) · op(other)` where `op` transposes when the flag is set.
    ///
    /// With `C = A'·B'` the rules are `dA' = dC·B'ᵀ` and `dB' = A'ᵀ·dC`; for a transposed operand
    /// the transposed rule is used, so no operand is ever copied.
    public func matmul(_ other: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let output = value.matmul(other.value, transposeA: transposeA, transposeB: transposeB)
        return tape.record(output, inputs: [self, other]) { gradient in
            tape.accumulateGradient(of: self) { total in
                if transposeA {
                    Tensor.gemm(other.value, gradient, into: &total, transposeA: transposeB, transposeB: true, beta: 1)
                } else {
                    Tensor.gemm(gradient, other.value, into: &total, transposeB: !transposeB, beta: 1)
                }
            }
            tape.accumulateGradient(of: other) { total in
                if transposeB {
                    Tensor.gemm(gradient, value, into: &total, transposeA: true, transposeB: transposeA, beta: 1)
                } else {
                    Tensor.gemm(value, gradient, into: &total, transposeA: !transposeA, beta: 1)
                }
            }
        }
    }
}
