import AD3DKit

/// Stand-in for a calibration stored in the model, until models carry one: thresholds read off
/// the labelled test set itself (the object and point scores of best F1) and heat colours
/// scaled between the good test scans' median point score and that point threshold. The page
/// says so, since thresholds fitted on the test set flatter the verdicts.
struct TestSetCalibration {
    /// The thresholds of best F1 on the test set.
    let thresholds: ReportThresholds
    /// The median point score of the good test scans (the cool end of the colour scale).
    let cleanMedian: Float

    /// Thresholds and colour scale of the scored `scans` of one category.
    init(scans: [ScoredTestScan]) throws {
        let objects = try RankedScores(scores: scans.map(\.scores.objectScore), labels: scans.map(\.sample.isDefective))
        let points = try RankedScores(scores: scans.flatMap(\.scores.pointScores), labels: scans.flatMap(\.scan.labels))
        thresholds = ReportThresholds(
            object: objects.maxF1?.threshold, point: points.maxF1.map { Float($0.threshold) },
            source: "best F1 on this test set (the model stores no calibration)")
        let good = scans.filter { !$0.sample.isDefective }.flatMap(\.scores.pointScores).sorted()
        cleanMedian = good.isEmpty ? 0 : good[good.count / 2]
    }

    /// Heat colours of `scores`: blue at the clean median, yellow at the point threshold, red
    /// a third of that distance beyond it; per-scan percentiles without a threshold.
    func colors(for scores: [Float]) -> [SIMD3<UInt8>] {
        guard let threshold = thresholds.point, threshold > cleanMedian else { return HeatColormap.colors(for: scores) }
        return scores.map { HeatColormap.color(at: 0.75 * ($0 - cleanMedian) / (threshold - cleanMedian)) }
    }

    /// What the colours mean, for the page.
    var colorScale: String {
        guard let threshold = thresholds.point, threshold > cleanMedian else {
            return "Heat colours scaled per scan (1st to 99th percentile of its scores)"
        }
        return String(
            format: "Heat colours: blue at the good scans' median point score (%.4g), yellow at the point threshold (%.4g), red beyond",
            cleanMedian, threshold)
    }
}
