extension RankedScores {
    /// Area under the ROC curve, identical to scikit-learn's `roc_auc_score`: the trapezoid rule
    /// over the ROC points at distinct thresholds (tied scores form one diagonal step, i.e. a tied
    /// positive/negative pair counts ½). Nil when only one class is present (scikit-learn raises).
    ///
    /// The trapezoid sum is accumulated exactly in integers (twice the area times P·N fits in
    /// `Int` for any realistic n), so the result is correctly rounded.
    public var areaUnderROC: Double? {
        guard hasBothClasses else { return nil }
        var doubledArea = 0
        var previousTruePositives = 0, previousFalsePositives = 0
        forEachThreshold { _, truePositives, falsePositives in
            doubledArea += (falsePositives - previousFalsePositives) * (truePositives + previousTruePositives)
            previousTruePositives = truePositives
            previousFalsePositives = falsePositives
        }
        return Double(doubledArea) / (2 * Double(positiveCount) * Double(negativeCount))
    }
}

/// AUROC of `scores` against labels 0/1 (see `RankedScores.areaUnderROC`); nil with one class.
public func areaUnderROC(scores: [Float], labels: [UInt8]) throws(MetricError) -> Double? {
    try RankedScores(scores: scores, labels: labels).areaUnderROC
}

/// AUROC of `scores` against labels 0/1 (see `RankedScores.areaUnderROC`); nil with one class.
public func areaUnderROC(scores: [Double], labels: [UInt8]) throws(MetricError) -> Double? {
    try RankedScores(scores: scores, labels: labels).areaUnderROC
}
