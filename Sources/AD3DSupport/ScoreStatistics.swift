/// Mean and standard deviation of clean scores (the head's logits, surface deviations, memory
/// distances, gap scores), used to standardise them.
public struct ScoreStatistics: Codable, Sendable, Equatable {
    /// Mean logit.
    public var mean: Float
    /// Standard deviation of the logits (1 when they are all equal).
    public var standardDeviation: Float

    /// Statistics from their values.
    public init(mean: Float, standardDeviation: Float) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The statistics of `values` (population standard deviation, Double accumulation).
    public init(of values: [Float]) {
        let count = Double(Swift.max(values.count, 1))
        let mean = values.reduce(0.0) { $0 + Double($1) } / count
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        self.mean = Float(mean)
        standardDeviation = variance > 0 ? Float(variance.squareRoot()) : 1
    }

    /// `(logit − mean) / standardDeviation`.
    public func standardized(_ logit: Float) -> Float {
        (logit - mean) / standardDeviation
    }
}
