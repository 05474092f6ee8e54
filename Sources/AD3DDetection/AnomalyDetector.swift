import AD3DPointCloud
import AD3DTensor
import Foundation

/// A trained anomaly detector: scores a scan point by point and as a whole.
///
/// Every method (`sca`, the main detector; the `btf` and `patchcore` baselines) conforms, so that
/// `ad3d infer` and `ad3d eval` work unchanged for each. A detector is saved as a `ModelCheckpoint`
/// (named tensors plus a JSON configuration) and rebuilt from one.
public protocol AnomalyDetector: Sendable {
    /// The method's name as written in model files and given to `ad3d train --method`.
    static var methodName: String { get }

    /// Scores `cloud` (raw scan coordinates, any point count): one score per point in the
    /// cloud's order, and one object score; higher means more anomalous.
    func score(_ cloud: PointCloud) throws -> AnomalyScores

    /// Everything needed to rebuild this detector.
    func checkpoint() throws -> ModelCheckpoint

    /// Rebuilds a detector saved by `checkpoint()`; throws `ModelCheckpointError` on bad content.
    init(checkpoint: ModelCheckpoint) throws

    /// Whether the detector recognises single views and scores them on a scale of their own
    /// (`AnomalyScores.scoredAsView`), so that they need thresholds of their own.
    var scoresViewsApart: Bool { get }
}

extension AnomalyDetector {
    public var scoresViewsApart: Bool { false }
}

extension AnomalyDetector {
    /// Scores `cloud`, read from `url`: any failure, scores that are not finite numbers included,
    /// is a `ScanScoringError` naming the file (a `ScanExtentError` for a scan too small to measure).
    public func score(_ cloud: PointCloud, readFrom url: URL) throws -> AnomalyScores {
        let scores: AnomalyScores
        try cloud.requireMeasurableExtent(path: url.path)
        do {
            scores = try score(cloud)
        } catch {
            throw ScanScoringError(path: url.path, reason: error.localizedDescription)
        }
        guard scores.objectScore.isFinite, scores.pointScores.allSatisfy(\.isFinite) else {
            throw ScanScoringError(path: url.path, reason: "the scores are not finite numbers (is the model file intact?)")
        }
        return scores
    }
}

/// The output of a detector for one scan.
public struct AnomalyScores: Sendable, Equatable {
    /// One score per point, in the scan's point order.
    public var pointScores: [Float]
    /// The scan's score as a whole.
    public var objectScore: Float
    /// Whether the detector recognised the scan as a single view of the part and scored it as one
    /// (single views are scored on another scale than complete scans and calibrated apart).
    public var scoredAsView: Bool

    /// Scores for a scan.
    public init(pointScores: [Float], objectScore: Float, scoredAsView: Bool = false) {
        self.pointScores = pointScores
        self.objectScore = objectScore
        self.scoredAsView = scoredAsView
    }
}
