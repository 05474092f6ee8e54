import AD3DPointCloud

/// What a model file holds: the detector and the calibration that turns its scores into decisions.
public struct TrainedModel: Sendable {
    /// The ready-to-score detector.
    public let detector: any AnomalyDetector
    /// The thresholds measured in training (nil for models without one).
    public let calibration: ScoreCalibration?

    /// A model from its parts.
    public init(detector: any AnomalyDetector, calibration: ScoreCalibration?) {
        self.detector = detector
        self.calibration = calibration
    }
}
