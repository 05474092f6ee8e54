import Foundation

/// Invalid input to a ranking metric (AUROC, average precision, max-F1).
public enum MetricError: Error, LocalizedError, Equatable {
    /// Scores and labels have different lengths.
    case lengthMismatch(scores: Int, labels: Int)
    /// The score at `index` is NaN, which has no place in a ranking.
    case notANumber(index: Int)
    /// The label at `index` is neither 0 nor 1.
    case invalidLabel(index: Int, value: UInt8)

    /// A one-line message naming what is wrong and where.
    public var errorDescription: String? {
        switch self {
        case .lengthMismatch(let scores, let labels):
            return "cannot rank \(scores) scores against \(labels) labels: the counts must match"
        case .notANumber(let index):
            return "score \(index) is NaN; scores must be numbers to be ranked"
        case .invalidLabel(let index, let value):
            return "label \(index) is \(value); labels must be 0 (good) or 1 (anomalous)"
        }
    }
}
