import AD3DPointCloud
import AD3DSupport
import AD3DTensor

/// Calibrates a detector's scores by cross-validation on its training scans: the scans are dealt
/// into folds, each fold is scored by a detector trained on the other folds, and the thresholds
/// are set on those held-out clean scores (`ScoreThresholds`). For detectors that score single
/// views apart, simulated views of each held-out complete scan that the detector recognises as
/// views calibrate the view thresholds.
public enum ScoreCalibrator {
    /// Most folds: more cost one training each, fewer leave each fold's detector fewer scans.
    public static let maximumFolds = 4
    /// Simulated single views scored per held-out complete scan.
    public static let viewsPerScan = 3

    /// The held-out scan indices of each fold: `scanCount` scans dealt in turn into
    /// `min(scanCount, maximumFolds)` folds; none for fewer than two scans.
    public static func folds(scanCount: Int) -> [[Int]] {
        guard scanCount >= 2 else { return [] }
        let count = min(scanCount, maximumFolds)
        return (0..<count).map { fold in Array(stride(from: fold, to: scanCount, by: count)) }
    }

    /// The calibration for `falseAlarmRate` of the detector that `trainedOn` builds from the
    /// training scans at the given (sorted) indices of `scans`; nil for fewer than two scans.
    /// Deterministic for `seed`; folds are trained and scored on `workers` threads, and `progress`
    /// hears of each finished fold's held-out scans (done, total).
    public static func calibrate(
        scans: [PointCloud], falseAlarmRate: Double, regionPoints: Int = ScoreCalibration.defaultRegionPoints,
        seed: UInt64, workers: Int = 1, progress: ((Int, Int) -> Void)? = nil,
        trainedOn: @Sendable ([Int]) throws -> any AnomalyDetector
    ) throws -> ScoreCalibration? {
        let folds = folds(scanCount: scans.count)
        guard !folds.isEmpty else { return nil }
        var complete = HeldOutScores(), view = HeldOutScores()
        var done = 0
        try ParallelMap.inBatches(count: folds.count, workers: workers) { fold in
            try heldOutScores(of: folds[fold], in: scans, seed: seed, trainedOn: trainedOn)
        } collect: { results, range in
            for (scored, views) in results {
                for scores in scored {
                    scores.scoredAsView ? view.add(scores, regionPoints: regionPoints) : complete.add(scores, regionPoints: regionPoints)
                }
                // A simulated view the detector takes for a complete scan says nothing of either kind's clean scores.
                for scores in views where scores.scoredAsView { view.add(scores, regionPoints: regionPoints) }
            }
            done += folds[range].map(\.count).reduce(0, +)
            progress?(done, scans.count)
        }
        let diagonals = scans.map(\.diagonal)
        return ScoreCalibration(
            falseAlarmRate: falseAlarmRate, regionPoints: regionPoints,
            complete: complete.thresholds(falseAlarmRate: falseAlarmRate), view: view.thresholds(falseAlarmRate: falseAlarmRate),
            trainingDiagonals: [diagonals.min()!, diagonals.max()!], trainingScans: scans.count)
    }

    /// The scores of the scans at `heldOut` under the detector trained on the other `scans`, and
    /// of `viewsPerScan` simulated views of each held-out scan it scores as complete (when it
    /// scores views apart).
    private static func heldOutScores(
        of heldOut: [Int], in scans: [PointCloud], seed: UInt64, trainedOn: ([Int]) throws -> any AnomalyDetector
    ) throws -> (scored: [AnomalyScores], views: [AnomalyScores]) {
        let detector = try trainedOn(scans.indices.filter { !heldOut.contains($0) })
        let scored = try heldOut.map { try detector.score(scans[$0]) }
        guard detector.scoresViewsApart else { return (scored, []) }
        let views = try zip(heldOut, scored).filter { !$0.1.scoredAsView }.flatMap { scan, _ in
            let simulator = try ViewSimulator(scan: scans[scan])
            return try (0..<viewsPerScan).map { view in
                var generator = SeededGenerator(seed: seed).split(stream: UInt64(scan * viewsPerScan + view))
                return try detector.score(simulator.view(using: &generator))
            }
        }
        return (scored, views)
    }
}

/// The clean scores of held-out scans of one kind.
private struct HeldOutScores {
    var objectScores = [Float]()
    var regionScores = [Float]()
    var pointScores = [Float]()

    /// Adds a held-out scan's scores: its object score, its `regionPoints`-th highest point score,
    /// and its point scores.
    mutating func add(_ scores: AnomalyScores, regionPoints: Int) {
        objectScores.append(scores.objectScore)
        let top = scores.pointScores.sorted(by: >)
        regionScores.append(top[min(regionPoints, top.count) - 1])
        pointScores += scores.pointScores
    }

    /// The thresholds these scores give (nil when there are none).
    func thresholds(falseAlarmRate: Double) -> ScoreThresholds? {
        objectScores.isEmpty ? nil : ScoreThresholds(
            objectScores: objectScores, regionScores: regionScores, pointScores: pointScores, falseAlarmRate: falseAlarmRate)
    }
}
