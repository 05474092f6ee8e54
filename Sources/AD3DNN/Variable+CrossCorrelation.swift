import AD3DTensor

/// The redundancy-reduction loss of Barlow Twins (Zbontar et al. 2021), for pairs of embeddings.
extension Variable {
    /// `Σ_d (1 − C_dd)² + offDiagonalWeight · Σ_{d≠e} C_de²` where `C = âᵀ b̂ / N` is the
    /// cross-correlation of `self` and `other` (`[N, D]` each, row `i` of both embedding the same
    /// thing twice), `â`, `b̂` standardised per column over the rows (biased variance, `eps` inside the
    /// root). Scale-free: 0 when every column of one is a perfect positive correlate of the same column
    /// of the other and columns are uncorrelated. The result is `[1]`.
    public func crossCorrelationLoss(with other: Variable, offDiagonalWeight: Float, eps: Float = 1e-5) -> Variable {
        precondition(value.rank == 2 && shape == other.shape && shape[0] > 1, "crossCorrelationLoss needs two equal [N, D] values, N > 1")
        let (rows, width) = (shape[0], shape[1])
        let ones = tape.constant(Tensor(shape: [width], repeating: 1)), zeros = tape.constant(Tensor(shape: [width]))
        let standardized = batchNorm(gamma: ones, beta: zeros, eps: eps).output
        let otherStandardized = other.batchNorm(gamma: ones, beta: zeros, eps: eps).output
        let correlation = standardized.matmul(otherStandardized, transposeA: true).scaled(by: 1 / Float(rows))  // [D, D]
        var identity = Tensor(shape: [width, width]), weights = Tensor(shape: [width, width], repeating: offDiagonalWeight)
        for d in 0..<width {
            identity.storage[d * width + d] = 1
            weights.storage[d * width + d] = 1
        }
        let deviation = correlation - tape.constant(identity)
        let weighted = deviation * deviation * tape.constant(weights)
        return weighted.reshaped([1, width * width])
            .matmul(tape.constant(Tensor(shape: [width * width, 1], repeating: 1)))
            .reshaped([1])
    }
}
