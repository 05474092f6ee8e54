import Foundation

/// Score files and ground truth that cannot be aligned point by point or scan by scan.
public enum EvaluationError: Error, LocalizedError, Equatable {
    /// A score file has a different number of points than the scan or ground truth it scores.
    case pointCountMismatch(scores: String, scoreCount: Int, reference: String, referenceCount: Int)
    /// A ground-truth file has no label column.
    case groundTruthWithoutLabels(path: String)
    /// A category's score folder does not exist.
    case missingScoreFolder(path: String)
    /// `objects.csv` has no row for a test scan.
    case missingObjectScore(path: String, scan: String)
    /// `objects.csv` has a row for a scan that is not in the category's `test/` folder.
    case unknownObjectScore(path: String, scan: String, testFolder: String)

    /// A one-line message naming what is wrong and where.
    public var errorDescription: String? {
        switch self {
        case .pointCountMismatch(let scores, let scoreCount, let reference, let referenceCount):
            return "\(scores) has \(scoreCount) scores but \(reference) has \(referenceCount) points; "
                + "score files need one score per point, in the same order"
        case .groundTruthWithoutLabels(let path):
            return "\(path): ground truth needs a label column ('x y z label' per line)"
        case .missingScoreFolder(let path):
            return "\(path): no such score folder"
        case .missingObjectScore(let path, let scan):
            return "\(path): no row for test scan '\(scan)'"
        case .unknownObjectScore(let path, let scan, let testFolder):
            return "\(path): scan '\(scan)' is not in \(testFolder)"
        }
    }
}
