import AD3DKit
import Foundation

/// What `train` reports per category: a table line, or one JSON object (a line of the JSON Lines
/// stream `train --json` prints, one per category as it finishes).
struct TrainingSummary: Encodable {
    let category: String
    let method: String
    let scans: Int
    let seconds: Double
    let model: String
    let detector: DetectorSummary
    /// The calibrated thresholds (nil for a model trained on one scan).
    let thresholds: ThresholdSummary?

    /// The table line, then the thresholds' line.
    var line: String {
        let trained = String(
            format: "%@: trained %@ on %d scan%@ in %.1f s (%@) → %@", category, method, scans, scans == 1 ? "" : "s", seconds,
            detector.description, model)
        return thresholds.map { trained + "\n  " + $0.description } ?? trained
    }
}

/// The thresholds training stored, per kind of scan.
struct ThresholdSummary: Encodable, CustomStringConvertible {
    /// The object and point thresholds of one kind of scan.
    struct Pair: Encodable {
        let object: Float
        let point: Float
    }

    let falseAlarmRate: Double
    let complete: Pair?
    let view: Pair?

    enum CodingKeys: String, CodingKey {
        case complete, view
        case falseAlarmRate = "false_alarm_rate"
    }

    /// The summary of `calibration`.
    init(_ calibration: ScoreCalibration) {
        falseAlarmRate = calibration.falseAlarmRate
        complete = calibration.complete.map { Pair(object: $0.object, point: $0.point) }
        view = calibration.view.map { Pair(object: $0.object, point: $0.point) }
    }

    /// One line: the thresholds of each kind for the false-alarm rate.
    var description: String {
        let kinds = [("complete scans", complete), ("single views", view)].compactMap { name, pair in
            pair.map { String(format: "%@ object %.4g, point %.4g", name, $0.object, $0.point) }
        }
        return String(format: "thresholds for %g%% false alarms: ", 100 * falseAlarmRate) + kinds.joined(separator: "; ")
    }
}

/// What a trained detector scores with, as structured fields (absent where they do not apply).
struct DetectorSummary: Encodable, CustomStringConvertible {
    /// The patch features: `encoder`, `fpfh`, or `none` (read-out none: no encoder pass).
    var features: String
    /// Where the encoder came from, when one is used.
    var encoder: String?
    /// The SCA read-out.
    var readout: String?
    /// λ of the patch memory, when the read-out uses it.
    var memoryPositionWeight: Float?
    /// The registration policy, unless scans are never registered.
    var registration: String?
    /// Whether points score their distance from the clean surface.
    var surfaceDeviation: Bool?
    /// Whether that surface is fitted with a smooth warp.
    var nonRigid: Bool?
    /// Whether surface the scan lacks scores.
    var coverageGaps: Bool?

    enum CodingKeys: String, CodingKey {
        case features, encoder, readout, registration
        case memoryPositionWeight = "memory_position_weight", surfaceDeviation = "surface_deviation"
        case nonRigid = "non_rigid", coverageGaps = "coverage_gaps"
    }

    /// A baseline's summary: its features and, for encoder features, the encoder.
    init(features: String, encoder: String? = nil) {
        self.features = features
        self.encoder = encoder
    }

    /// The summary of a trained SCA detector's configuration.
    init(sca configuration: SCAConfiguration) {
        let usesEncoder = configuration.readout.usesEncoder
        features = usesEncoder ? "encoder" : "none"
        encoder = usesEncoder ? configuration.encoderSource : nil
        readout = configuration.readout.rawValue
        memoryPositionWeight = configuration.readout.usesMemory ? configuration.memoryPositionWeight : nil
        registration = configuration.registration == .never ? nil : configuration.registration.rawValue
        surfaceDeviation = configuration.surfaceDeviation
        nonRigid = configuration.surfaceDeviation ? configuration.surfaceWarp == .always : nil
        coverageGaps = configuration.surfaceDeviation ? configuration.coverageGaps : nil
    }

    /// The fields as the table line's parenthesis says them.
    var description: String {
        let patches = features == "none" ? "read-out none (no encoder pass)" : [features, encoder].compactMap { $0 }.joined(separator: " ")
        let memory = memoryPositionWeight.map { String(format: ", memory λ %g", $0) } ?? ""
        let registered = registration.map { ", registration " + $0 } ?? ""
        let gaps = coverageGaps == true ? " and coverage gaps" : ""
        let warp = nonRigid == true ? " (non-rigid)" : ""
        let surface = surfaceDeviation == true ? ", surface deviation" + warp + gaps : ""
        return patches + memory + registered + surface
    }
}
