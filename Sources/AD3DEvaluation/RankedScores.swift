/// Binary-labelled scores ranked once, from which AUROC, average precision and max-F1 are read.
///
/// Positive and negative scores are sorted separately and merged from the top, which yields the
/// cumulative true/false-positive counts at every *distinct* threshold — the same curve as
/// scikit-learn's `_binary_clf_curve`, with tied scores grouped into one step. Sorting makes it
/// O(n log n); memory is one `Double` per score.
public struct RankedScores: Sendable {
    /// Scores of the positive samples, ascending.
    private let positiveScores: [Double]
    /// Scores of the negative samples, ascending.
    private let negativeScores: [Double]

    /// Number of samples labelled 1.
    public var positiveCount: Int { positiveScores.count }
    /// Number of samples labelled 0.
    public var negativeCount: Int { negativeScores.count }
    /// Whether both classes are present, i.e. whether a ranking metric is defined.
    public var hasBothClasses: Bool { positiveCount > 0 && negativeCount > 0 }

    /// Ranks `Float` scores against labels 0 (negative) / 1 (positive).
    public init(scores: [Float], labels: [UInt8]) throws(MetricError) {
        try self.init(validating: scores, labels, isPositive: Self.binaryLabel)
    }

    /// Ranks `Double` scores against labels 0 (negative) / 1 (positive).
    public init(scores: [Double], labels: [UInt8]) throws(MetricError) {
        try self.init(validating: scores, labels, isPositive: Self.binaryLabel)
    }

    /// Ranks `Float` scores against Boolean labels (`true` = positive).
    public init(scores: [Float], labels: [Bool]) throws(MetricError) {
        try self.init(validating: scores, labels) { _, label in label }
    }

    /// Ranks `Double` scores against Boolean labels (`true` = positive).
    public init(scores: [Double], labels: [Bool]) throws(MetricError) {
        try self.init(validating: scores, labels) { _, label in label }
    }

    private static func binaryLabel(index: Int, label: UInt8) throws(MetricError) -> Bool {
        switch label {
        case 0: return false
        case 1: return true
        default: throw MetricError.invalidLabel(index: index, value: label)
        }
    }

    private init<Score: BinaryFloatingPoint, Label>(
        validating scores: [Score], _ labels: [Label],
        isPositive: (Int, Label) throws(MetricError) -> Bool
    ) throws(MetricError) {
        guard scores.count == labels.count else {
            throw MetricError.lengthMismatch(scores: scores.count, labels: labels.count)
        }
        var positives = [Double](), negatives = [Double]()
        // Float → Double is exact and order-preserving, so ties survive the conversion.
        for index in scores.indices {
            let score = scores[index]
            guard !score.isNaN else { throw MetricError.notANumber(index: index) }
            if try isPositive(index, labels[index]) {
                positives.append(Double(score))
            } else {
                negatives.append(Double(score))
            }
        }
        positives.sort()
        negatives.sort()
        positiveScores = positives
        negativeScores = negatives
    }

    /// Calls `body(threshold, truePositives, falsePositives)` once per distinct score, from the
    /// highest threshold down; the counts are cumulative (samples scoring `>= threshold`).
    func forEachThreshold(_ body: (_ threshold: Double, _ truePositives: Int, _ falsePositives: Int) -> Void) {
        positiveScores.withUnsafeBufferPointer { positives in
            negativeScores.withUnsafeBufferPointer { negatives in
                var p = positives.count - 1, n = negatives.count - 1
                while p >= 0 || n >= 0 {
                    let threshold: Double
                    if p >= 0 && n >= 0 {
                        threshold = Swift.max(positives[p], negatives[n])
                    } else {
                        threshold = p >= 0 ? positives[p] : negatives[n]
                    }
                    // `==` groups +0 and -0 too, as NumPy's tie detection does.
                    while p >= 0 && positives[p] == threshold { p -= 1 }
                    while n >= 0 && negatives[n] == threshold { n -= 1 }
                    body(threshold, positives.count - 1 - p, negatives.count - 1 - n)
                }
            }
        }
    }
}
