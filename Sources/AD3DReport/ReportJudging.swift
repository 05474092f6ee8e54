import AD3DDetection
import AD3DEvaluation
import AD3DSupport
import Foundation

/// How the report judges and colours the scans of one category: with the calibration stored in
/// the model, or, for a model without one, with thresholds read off the labelled test set.
public struct ReportJudging: Sendable {
    /// The thresholds of one scan and the heat scale of its colours.
    public struct ScanThresholds: Sendable, Equatable {
        /// Object score from which the scan is judged defective.
        public let object: Float
        /// Point score from which its points form defect regions.
        public let point: Float
        /// Colours from the clean median (blue) through the point threshold (yellow).
        public let heatScale: HeatScale
    }

    /// The thresholds as the page lists them.
    public let thresholds: ReportThresholds
    /// What the heat colours mean, for the page.
    public let colorScale: String
    /// The thresholds of a scan scored as given (nil: no verdict; colours scaled per scan).
    public let scanThresholds: @Sendable (AnomalyScores) -> ScanThresholds?

    /// The scan as the page shows it: judged and coloured by these thresholds.
    public func reportScan(_ scored: ScoredTestScan) -> ReportScan {
        let scores = scored.scores.pointScores
        let judged = scanThresholds(scored.scores)
        return ReportScan(
            name: scored.sample.name, cloud: scored.scan.cloud, pointScores: scores, pointLabels: scored.scan.labels,
            objectScore: Double(scored.scores.objectScore), isDefective: scored.sample.isDefective,
            colors: judged.map { HeatColormap.colors(for: scores, scale: $0.heatScale) } ?? HeatColormap.colors(for: scores),
            objectThreshold: judged.map { Double($0.object) }, pointThreshold: judged?.point)
    }

    /// Judging by the calibration stored in the model: the thresholds for the scan's kind
    /// (complete scan or single view), colours from the clean training scans' median point score.
    public static func calibrated(_ calibration: ScoreCalibration) -> ReportJudging {
        let pairs = [("complete scans", calibration.complete), ("single views", calibration.view)].compactMap { name, thresholds in
            thresholds.map { ThresholdPair(scans: name, object: Double($0.object), point: $0.point) }
        }
        let rate = String(format: "%g%%", 100 * calibration.falseAlarmRate)
        return ReportJudging(
            thresholds: ReportThresholds(pairs: pairs, source: "the model's calibration on held-out training scans, false-alarm rate \(rate)"),
            colorScale: "Heat colours on the model's scale: blue at the median point score of clean training scans, "
                + "yellow at the point threshold, red at twice its distance from that median",
            scanThresholds: { scores in
                let thresholds = calibration.thresholds(for: scores)
                return ScanThresholds(
                    object: thresholds.object, point: thresholds.point,
                    heatScale: HeatScale(median: thresholds.cleanPointMedian, threshold: thresholds.point))
            })
    }

    /// The fallback for a model without calibration (trained on one scan, or by an older ad3d):
    /// the object and point scores of best F1 on the labelled test set, colours from the good test
    /// scans' median point score. The page says so, since thresholds fitted on the test set
    /// flatter its verdicts.
    public static func fromTestSet(_ scans: [ScoredTestScan]) throws -> ReportJudging {
        let objects = try RankedScores(scores: scans.map(\.scores.objectScore), labels: scans.map(\.sample.isDefective))
        let points = try RankedScores(scores: scans.flatMap(\.scores.pointScores), labels: scans.flatMap(\.scan.labels))
        let good = scans.filter { !$0.sample.isDefective }.flatMap(\.scores.pointScores).sorted()
        guard let object = objects.maxF1, let point = points.maxF1, !good.isEmpty else {
            return ReportJudging(
                thresholds: ReportThresholds(pairs: [], source: "none: the model has no calibration and the test set lacks good or defective scans"),
                colorScale: "Heat colours scaled per scan (1st to 99th percentile of its scores)", scanThresholds: { _ in nil })
        }
        let judged = ScanThresholds(
            object: Float(object.threshold), point: Float(point.threshold),
            heatScale: HeatScale(median: good[good.count / 2], threshold: Float(point.threshold)))
        return ReportJudging(
            thresholds: ReportThresholds(
                pairs: [ThresholdPair(scans: "all scans", object: object.threshold, point: Float(point.threshold))],
                source: "best F1 on this test set (the model stores no calibration)"),
            colorScale: "Heat colours: blue at the good test scans' median point score, yellow at the point threshold, "
                + "red at twice its distance from that median",
            scanThresholds: { _ in judged })
    }
}
