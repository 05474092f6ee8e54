import AD3DTensor

/// BatchNorm over the rows of a `[N, C]` matrix (PyTorch `BatchNorm1d` applied per point): a learned
/// per-channel scale and shift, and running estimates of the channel statistics for evaluation.
public struct BatchNorm: ParameterContainer, Sendable {
    /// Scale γ `[C]`, initialised to ones.
    public var weight: Tensor
    /// Shift β `[C]`, initialised to zeros.
    public var bias: Tensor
    /// Running mean `[C]` (not trained; updated from batch statistics).
    public var runningMean: Tensor
    /// Running unbiased variance `[C]` (not trained; updated from batch statistics).
    public var runningVariance: Tensor
    /// Added to the variance inside the square root.
    public var eps: Float
    /// Weight of a new batch in the running estimates (PyTorch's default 0.1).
    public var momentum: Float

    /// The identity-initialised normalisation of `dimensions` channels (running mean 0, variance 1).
    public init(dimensions: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        weight = Tensor(shape: [dimensions], repeating: 1)
        bias = Tensor(shape: [dimensions])
        runningMean = Tensor(shape: [dimensions])
        runningVariance = Tensor(shape: [dimensions], repeating: 1)
        self.eps = eps
        self.momentum = momentum
    }

    /// Training mode (batch statistics, returned for `update(with:)`) or evaluation mode (running
    /// estimates, no statistics).
    public func callAsFunction(_ x: Variable, _ scope: ParameterScope, training: Bool) -> (output: Variable, statistics: BatchStatistics?) {
        let gamma = scope.parameter("weight", weight), beta = scope.parameter("bias", bias)
        if training {
            let (output, statistics) = x.batchNorm(gamma: gamma, beta: beta, eps: eps)
            return (output, statistics)
        }
        return (x.batchNorm(gamma: gamma, beta: beta, mean: runningMean, variance: runningVariance, eps: eps), nil)
    }

    /// Moves the running estimates towards a batch's: `r ← (1 − m)·r + m·b`, with the batch's
    /// unbiased variance, as PyTorch does.
    public mutating func update(with statistics: BatchStatistics) {
        let m = momentum
        let variance = statistics.unbiasedVariance
        for j in 0..<runningMean.count {
            runningMean.storage[j] = (1 - m) * runningMean.storage[j] + m * statistics.mean[j]
            runningVariance.storage[j] = (1 - m) * runningVariance.storage[j] + m * variance[j]
        }
    }

    /// The trainable parameters (`weight`, `bias`); the running estimates are visited by `visitBuffers`.
    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try body(parameterName(prefix, "weight"), &weight)
        try body(parameterName(prefix, "bias"), &bias)
    }

    /// The running estimates under their PyTorch names (`running_mean`, `running_var`).
    public mutating func visitBuffers(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try body(parameterName(prefix, "running_mean"), &runningMean)
        try body(parameterName(prefix, "running_var"), &runningVariance)
    }
}
