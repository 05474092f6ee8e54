import AD3DTensor

/// The per-channel statistics of one training-mode BatchNorm pass, for updating running estimates.
public struct BatchStatistics: Sendable, Equatable {
    /// Mean of every channel over the rows, `[C]`.
    public var mean: [Float]
    /// Biased (population) variance of every channel, `[C]`: what normalises the batch.
    public var variance: [Float]
    /// Number of rows the statistics were taken over.
    public var count: Int

    /// The unbiased variance `variance · n / (n − 1)`, which PyTorch folds into the running variance.
    public var unbiasedVariance: [Float] {
        let factor = count > 1 ? Float(count) / Float(count - 1) : 1
        return variance.map { $0 * factor }
    }
}

/// Differentiable BatchNorm over the rows of a `[N, C]` value (PyTorch `BatchNorm1d` on points).
extension Variable {
    /// Training mode: every channel normalised with the batch mean and biased variance,
    /// `y = γ·(x − μ)·r + β` with `r = 1/√(σ² + ε)`. The statistics (accumulated in `Double`) are
    /// returned for the running estimates. With `x̂` the normalised value and `ĝ = g·γ`, the input
    /// gradient is `dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))`, the means taken over the rows.
    public func batchNorm(gamma: Variable, beta: Variable, eps: Float = 1e-5) -> (output: Variable, statistics: BatchStatistics) {
        precondition(value.rank == 2 && value.shape[0] > 0, "batchNorm expects a non-empty [N, C] value, got \(shape)")
        let (rows, width) = (shape[0], shape[1])
        precondition(gamma.shape == [width] && beta.shape == [width], "batchNorm affine \(gamma.shape), \(beta.shape) for \(shape)")
        let statistics = value.columnStatistics()
        let inverseStd = statistics.variance.map { 1 / ($0 + eps).squareRoot() }
        var normalized = value
        var output = value
        normalized.storage.withUnsafeMutableBufferPointer { xhat in
            output.storage.withUnsafeMutableBufferPointer { y in
                gamma.value.storage.withUnsafeBufferPointer { g in
                    beta.value.storage.withUnsafeBufferPointer { b in
                        for row in 0..<rows {
                            let base = row * width
                            for j in 0..<width {
                                let n = (xhat[base + j] - statistics.mean[j]) * inverseStd[j]
                                xhat[base + j] = n
                                y[base + j] = n * g[j] + b[j]
                            }
                        }
                    }
                }
            }
        }
        let result = tape.record(output, inputs: [self, gamma, beta]) { gradient in
            var sumGradient = [Float](repeating: 0, count: width), sumProduct = [Float](repeating: 0, count: width)
            gradient.storage.withUnsafeBufferPointer { d in
                normalized.storage.withUnsafeBufferPointer { xhat in
                    for row in 0..<rows {
                        let base = row * width
                        for j in 0..<width {
                            sumGradient[j] += d[base + j]
                            sumProduct[j] += d[base + j] * xhat[base + j]
                        }
                    }
                }
            }
            if beta.requiresGradient { tape.accumulate(Tensor(shape: [width], storage: sumGradient), into: beta) }
            if gamma.requiresGradient { tape.accumulate(Tensor(shape: [width], storage: sumProduct), into: gamma) }
            guard requiresGradient else { return }
            let count = Float(rows)
            let meanScaled = (0..<width).map { gamma.value.storage[$0] * sumGradient[$0] / count }
            let meanProduct = (0..<width).map { gamma.value.storage[$0] * sumProduct[$0] / count }
            let scale = (0..<width).map { gamma.value.storage[$0] * inverseStd[$0] }
            var local = gradient
            local.storage.withUnsafeMutableBufferPointer { d in
                normalized.storage.withUnsafeBufferPointer { xhat in
                    for row in 0..<rows {
                        let base = row * width
                        for j in 0..<width {
                            d[base + j] = scale[j] * d[base + j] - inverseStd[j] * (meanScaled[j] + xhat[base + j] * meanProduct[j])
                        }
                    }
                }
            }
            tape.accumulate(local, into: self)
        }
        return (result, statistics)
    }

    /// Evaluation mode: every channel normalised with fixed estimates, `y = γ·(x − μ)/√(σ² + ε) + β`.
    /// The estimates are constants; gradients reach the input, `gamma` and `beta`.
    public func batchNorm(gamma: Variable, beta: Variable, mean: Tensor, variance: Tensor, eps: Float = 1e-5) -> Variable {
        precondition(value.rank == 2, "batchNorm expects a [N, C] value, got \(shape)")
        let width = shape[1]
        precondition(mean.shape == [width] && variance.shape == [width], "batchNorm statistics \(mean.shape), \(variance.shape) for \(shape)")
        let inverseStd = Tensor(shape: [width], storage: variance.storage.map { 1 / ($0 + eps).squareRoot() })
        let shift = Tensor(shape: [width], storage: (0..<width).map { -mean.storage[$0] * inverseStd.storage[$0] })
        let normalized = value.scalingColumns(by: inverseStd).addingRowVector(shift)
        let output = normalized.scalingColumns(by: gamma.value).addingRowVector(beta.value)
        return tape.record(output, inputs: [self, gamma, beta]) { gradient in
            if beta.requiresGradient { tape.accumulate(gradient.sum(alongAxis: 0), into: beta) }
            if gamma.requiresGradient { tape.accumulate((gradient * normalized).sum(alongAxis: 0), into: gamma) }
            if requiresGradient { tape.accumulate(gradient.scalingColumns(by: gamma.value * inverseStd), into: self) }
        }
    }
}

extension Tensor {
    /// Mean and biased variance of every column of a `[N, C]` matrix, accumulated in `Double`.
    func columnStatistics() -> BatchStatistics {
        let (rows, width) = (shape[0], shape[1])
        var sums = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        storage.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                let base = row * width
                for j in 0..<width { sums[j] += Double(x[base + j]) }
            }
            let means = sums.map { $0 / Double(rows) }
            for row in 0..<rows {
                let base = row * width
                for j in 0..<width {
                    let d = Double(x[base + j]) - means[j]
                    squares[j] += d * d
                }
            }
        }
        return BatchStatistics(
            mean: sums.map { Float($0 / Double(rows)) }, variance: squares.map { Float($0 / Double(rows)) }, count: rows)
    }

    /// Every column `j` of a `[N, C]` matrix multiplied by `factors[j]`.
    func scalingColumns(by factors: Tensor) -> Tensor {
        let width = lastDimension
        precondition(factors.shape == [width], "column factors \(factors.shape) for \(shape)")
        var result = self
        result.storage.withUnsafeMutableBufferPointer { x in
            factors.storage.withUnsafeBufferPointer { f in
                for base in stride(from: 0, to: x.count, by: width) {
                    for j in 0..<width { x[base + j] *= f[j] }
                }
            }
        }
        return result
    }
}
