extension RankedScores {
    /// Average precision, identical to scikit-learn's `average_precision_score`:
    /// AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the distinct thresholds from the highest down, R₀ = 0, with no
    /// interpolation (tied scores enter as one step).
    ///
    /// Nil when only one class is present: scikit-learn returns 0 (no positives, with a warning)
    /// or 1 (no negatives), neither of which says anything about the detector.
    public var averagePrecision: Double? {
        guard hasBothClasses else { return nil }
        var sum = 0.0
        var previousTruePositives = 0
        forEachThreshold { _, truePositives, falsePositives in
            let gained = truePositives - previousTruePositives
            if gained > 0 {
                sum += Double(gained) * Double(truePositives) / Double(truePositives + falsePositives)
            }
            previousTruePositives = truePositives
        }
        return sum / Double(positiveCount)
    }
}

/// Average precision of `scores` against labels 0/1 (see `RankedScores.averagePrecision`).
public func averagePrecision(scores: [Float], labels: [UInt8]) throws(MetricError) -> Double? {
    try RankedScores(scores: scores, labels: labels).averagePrecision
}

/// Average precision of `scores` against labels 0/1 (see `RankedScores.averagePrecision`).
public func averagePrecision(scores: [Double], labels: [UInt8]) throws(MetricError) -> Double? {
    try RankedScores(scores: scores, labels: labels).averagePrecision
}
