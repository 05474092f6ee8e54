/// A point of a ROC curve: the rates of one threshold.
public struct ROCPoint: Sendable, Equatable {
    /// False-positive rate, FP / N.
    public var falsePositiveRate: Double
    /// True-positive rate (recall), TP / P.
    public var truePositiveRate: Double

    /// The point at rates `falsePositiveRate` and `truePositiveRate`.
    public init(falsePositiveRate: Double, truePositiveRate: Double) {
        self.falsePositiveRate = falsePositiveRate
        self.truePositiveRate = truePositiveRate
    }
}

/// A point of a precision–recall curve: the rates of one threshold.
public struct PrecisionRecallPoint: Sendable, Equatable {
    /// Recall, TP / P.
    public var recall: Double
    /// Precision, TP / (TP + FP).
    public var precision: Double

    /// The point at `recall` and `precision`.
    public init(recall: Double, precision: Double) {
        self.recall = recall
        self.precision = precision
    }
}

extension RankedScores {
    /// The ROC curve as scikit-learn's `roc_curve(drop_intermediate=False)` draws it: (0, 0), then
    /// one point per distinct score from the highest down (tied scores one step), ending at (1, 1).
    /// The trapezoid area under it is `areaUnderROC`. Nil when only one class is present.
    public var rocCurve: [ROCPoint]? {
        guard hasBothClasses else { return nil }
        var points = [ROCPoint(falsePositiveRate: 0, truePositiveRate: 0)]
        forEachThreshold { _, truePositives, falsePositives in
            points.append(ROCPoint(
                falsePositiveRate: Double(falsePositives) / Double(negativeCount),
                truePositiveRate: Double(truePositives) / Double(positiveCount)))
        }
        return points
    }

    /// The precision–recall curve, one point per distinct score from the highest down (recall
    /// rising), as scikit-learn's `precision_recall_curve` lists it before its final (0, 1) point.
    /// `averagePrecision` is the step sum Σ (Rₙ − Rₙ₋₁) Pₙ over it with R₀ = 0. Nil when only one
    /// class is present.
    public var precisionRecallCurve: [PrecisionRecallPoint]? {
        guard hasBothClasses else { return nil }
        var points = [PrecisionRecallPoint]()
        forEachThreshold { _, truePositives, falsePositives in
            points.append(PrecisionRecallPoint(
                recall: Double(truePositives) / Double(positiveCount),
                precision: Double(truePositives) / Double(truePositives + falsePositives)))
        }
        return points
    }
}
