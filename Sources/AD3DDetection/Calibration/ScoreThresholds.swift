import Foundation

/// The thresholds of one kind of scan (complete scans, or single views) measured on held-out clean
/// training scans, and the clean scores they were measured from.
public struct ScoreThresholds: Codable, Sendable, Equatable {
    /// Object score from which a scan is judged defective.
    public var object: Float
    /// Point score from which a point belongs to a defect region.
    public var point: Float
    /// Median object score of the held-out clean scans (relative score 0).
    public var cleanObjectMedian: Float
    /// Median point score of the held-out clean scans (the cool end of the heat colours).
    public var cleanPointMedian: Float
    /// Object scores of the held-out clean scans.
    public var heldOutObjectScores: [Float]
    /// Per held-out clean scan, its region score: the `regionPoints`-th highest point score.
    public var heldOutRegionScores: [Float]

    enum CodingKeys: String, CodingKey {
        case object = "object_threshold", point = "point_threshold"
        case cleanObjectMedian = "clean_object_median", cleanPointMedian = "clean_point_median"
        case heldOutObjectScores = "held_out_object_scores", heldOutRegionScores = "held_out_region_scores"
    }

    /// Thresholds from the held-out clean scans' object scores, region scores and pooled point
    /// scores, each threshold the upper `falseAlarmRate` quantile of its clean values (`upperQuantile`).
    public init(objectScores: [Float], regionScores: [Float], pointScores: [Float], falseAlarmRate: Double) {
        precondition(!objectScores.isEmpty && !regionScores.isEmpty && !pointScores.isEmpty, "held-out scores")
        object = Self.upperQuantile(of: objectScores, falseAlarmRate: falseAlarmRate)
        point = Self.upperQuantile(of: regionScores, falseAlarmRate: falseAlarmRate)
        cleanObjectMedian = Self.median(objectScores)
        cleanPointMedian = Self.median(pointScores)
        heldOutObjectScores = objectScores
        heldOutRegionScores = regionScores
    }

    /// `score` on the threshold's scale: 0 at the clean median, 1 at the threshold.
    public func relativeObjectScore(_ score: Float) -> Float {
        (score - cleanObjectMedian) / max(object - cleanObjectMedian, .leastNormalMagnitude)
    }

    /// The score that a further clean scan exceeds at rate `falseAlarmRate`, from a few clean
    /// values: the upper bound of the normal prediction interval, mean + t(1 − rate, n − 1) · s ·
    /// √(1 + 1/n) (s the sample standard deviation, t Student's quantile, which accounts for mean and
    /// spread being estimated from n values), and never below the largest value — a handful of
    /// held-out scans can neither place an extreme empirical quantile nor rule out a clean scan
    /// scoring like the worst of them. One value is its own threshold.
    public static func upperQuantile(of values: [Float], falseAlarmRate: Double) -> Float {
        precondition(!values.isEmpty && falseAlarmRate > 0 && falseAlarmRate < 0.5, "values and a rate in (0, 0.5)")
        guard values.count > 1 else { return values[0] }
        let count = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / count
        let squares = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
        let spread = (squares / (count - 1)).squareRoot() * (1 + 1 / count).squareRoot()
        let predicted = mean + StudentT.quantile(1 - falseAlarmRate, degreesOfFreedom: count - 1) * spread
        return max(Float(predicted), values.max()!)
    }

    /// The median (mean of the middle two for an even count).
    static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
