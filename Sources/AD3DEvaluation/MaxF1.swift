/// The best F1 score over all thresholds and the threshold that reaches it.
public struct MaxF1: Sendable, Equatable, Codable {
    /// F1 = 2·precision·recall / (precision + recall) at `threshold`.
    public var f1: Double
    /// The score threshold (predict anomalous when `score >= threshold`); the highest one on ties.
    public var threshold: Double
}

extension RankedScores {
    /// The maximum F1 over the distinct thresholds, as read off scikit-learn's
    /// `precision_recall_curve`; nil when only one class is present.
    public var maxF1: MaxF1? {
        guard hasBothClasses else { return nil }
        var best = MaxF1(f1: 0, threshold: .infinity)
        forEachThreshold { threshold, truePositives, falsePositives in
            // 2TP / (2TP + FP + FN) with FN = P − TP.
            let f1 = 2 * Double(truePositives) / Double(truePositives + falsePositives + positiveCount)
            if f1 > best.f1 { best = MaxF1(f1: f1, threshold: threshold) }
        }
        return best
    }
}

/// Max-F1 of `scores` against labels 0/1 (see `RankedScores.maxF1`).
public func maxF1(scores: [Float], labels: [UInt8]) throws(MetricError) -> MaxF1? {
    try RankedScores(scores: scores, labels: labels).maxF1
}

/// Max-F1 of `scores` against labels 0/1 (see `RankedScores.maxF1`).
public func maxF1(scores: [Double], labels: [UInt8]) throws(MetricError) -> MaxF1? {
    try RankedScores(scores: scores, labels: labels).maxF1
}
