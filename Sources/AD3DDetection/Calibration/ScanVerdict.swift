import AD3DPointCloud
import AD3DSupport
import Foundation

/// The decision about one scan: good or defective, by its object score against the model's
/// calibrated threshold for its kind of scan, with warnings when the scan looks unlike anything the
/// model was trained on.
public struct ScanVerdict: Sendable, Equatable {
    /// The two decisions.
    public enum Decision: String, Sendable, Codable {
        /// The object score is below the threshold.
        case ok
        /// The object score reaches the threshold.
        case defective
    }

    /// Share of a scan's points above the point threshold from which the scan is taken for another
    /// part (or other units) rather than a defective one: defects cover a small part of a part.
    public static let foreignPointShare: Float = 0.5
    /// Factor by which a scan's diagonal may fall short of the smallest training scan's or exceed the
    /// largest one's before it is taken for other units.
    public static let diagonalTolerance: Float = 2

    /// The decision.
    public let decision: Decision
    /// The object score on the threshold's scale: 0 = the median clean held-out scan, 1 = the threshold.
    public let relativeScore: Float
    /// The object threshold applied.
    public let objectThreshold: Float
    /// The point threshold from which points form defect regions.
    public let pointThreshold: Float
    /// The heat colours of the scan's points: the clean median point score to the point threshold.
    public let heatScale: HeatScale
    /// Reasons to doubt the scan belongs to the model's category (empty for most scans).
    public let warnings: [String]

    /// The verdict on `scores` of the scan `cloud` under `calibration`; `objectThreshold` and
    /// `pointThreshold` replace the calibrated ones when given.
    public init(
        scores: AnomalyScores, cloud: PointCloud, calibration: ScoreCalibration, objectThreshold: Float? = nil,
        pointThreshold: Float? = nil
    ) {
        let thresholds = calibration.thresholds(for: scores)
        var scale = thresholds
        scale.object = objectThreshold ?? thresholds.object
        let regionThreshold = pointThreshold ?? thresholds.point
        self.objectThreshold = scale.object
        self.pointThreshold = regionThreshold
        heatScale = HeatScale(median: thresholds.cleanPointMedian, threshold: regionThreshold)
        relativeScore = scale.relativeObjectScore(scores.objectScore)
        decision = scores.objectScore >= scale.object ? .defective : .ok
        var warnings = [String]()
        let diagonal = cloud.diagonal, range = calibration.trainingDiagonals
        if diagonal < range[0] / Self.diagonalTolerance || diagonal > range[1] * Self.diagonalTolerance {
            warnings.append(
                String(format: "its size (diagonal %.4g) is far from the training scans' (%.4g to %.4g): other units, or another part?",
                    diagonal, range[0], range[1]))
        }
        let above = scores.pointScores.count(where: { $0 >= regionThreshold })
        let share = Float(above) / Float(max(scores.pointScores.count, 1))
        if share >= Self.foreignPointShare {
            warnings.append(
                String(format: "%.0f%% of its points score above the point threshold: another part, or other units?", 100 * share))
        }
        self.warnings = warnings
    }
}
