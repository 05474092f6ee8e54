import Foundation

/// What training measured to turn scores into decisions: thresholds for a target false-alarm rate,
/// for complete scans and for single views, measured on clean training scans held out of the
/// models that scored them (`ScoreCalibrator`), and the size of the training scans.
public struct ScoreCalibration: Codable, Sendable, Equatable {
    /// The false-alarm rate training aims at when none is given: one clean scan in a hundred.
    public static let defaultFalseAlarmRate = 0.01
    /// Smallest defect region, in points, that the point threshold is set for (`ad3d infer`'s default).
    public static let defaultRegionPoints = 10

    /// The rate at which clean scans are expected to be judged defective.
    public var falseAlarmRate: Double
    /// Points a clean scan may have at or above the point threshold at that rate, less one.
    public var regionPoints: Int
    /// Thresholds for complete scans (nil when every training scan was scored as a single view).
    public var complete: ScoreThresholds?
    /// Thresholds for scans the detector scores as single views (nil when it scores none that way).
    public var view: ScoreThresholds?
    /// Smallest and largest bounding-box diagonal of the training scans, in scan units.
    public var trainingDiagonals: [Float]
    /// Number of training scans.
    public var trainingScans: Int

    enum CodingKeys: String, CodingKey {
        case falseAlarmRate = "false_alarm_rate", regionPoints = "region_points", complete, view
        case trainingDiagonals = "training_diagonals", trainingScans = "training_scans"
    }

    /// A calibration from its parts; at least one of `complete` and `view` must be given.
    public init(
        falseAlarmRate: Double, regionPoints: Int, complete: ScoreThresholds?, view: ScoreThresholds?, trainingDiagonals: [Float],
        trainingScans: Int
    ) {
        precondition(complete != nil || view != nil, "thresholds for some kind of scan")
        self.falseAlarmRate = falseAlarmRate
        self.regionPoints = regionPoints
        self.complete = complete
        self.view = view
        self.trainingDiagonals = trainingDiagonals
        self.trainingScans = trainingScans
    }

    /// The thresholds for a scan scored as `scores` says (complete scan or single view), falling
    /// back to the other kind's when only one was measured.
    public func thresholds(for scores: AnomalyScores) -> ScoreThresholds {
        (scores.scoredAsView ? view ?? complete : complete ?? view)!
    }

    /// Whether `scores` reach the object threshold of their kind of scan.
    public func judgesDefective(_ scores: AnomalyScores) -> Bool {
        scores.objectScore >= thresholds(for: scores).object
    }

    /// The calibration in a model file's metadata (JSON).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A calibration read from a model file's metadata; throws on malformed or implausible content.
    public init(json: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
        guard falseAlarmRate > 0, falseAlarmRate < 0.5, regionPoints >= 1, trainingScans >= 2, complete != nil || view != nil,
            trainingDiagonals.count == 2, trainingDiagonals.allSatisfy({ $0.isFinite && $0 > 0 }),
            [complete, view].compactMap({ $0 }).allSatisfy(\.isUsable)
        else { throw ScoreCalibrationError.implausible }
    }
}

extension ScoreThresholds {
    /// Whether every value is finite and there is at least one held-out scan.
    var isUsable: Bool {
        [object, point, cleanObjectMedian, cleanPointMedian].allSatisfy(\.isFinite) && !heldOutObjectScores.isEmpty
            && (heldOutObjectScores + heldOutRegionScores).allSatisfy(\.isFinite)
    }
}

/// A model's calibration metadata that cannot be used.
public enum ScoreCalibrationError: Error, LocalizedError, Equatable {
    /// Values out of range, or neither kind of thresholds.
    case implausible

    public var errorDescription: String? {
        "the calibration (metadata 'calibration') holds missing or out-of-range values"
    }
}
