import AD3DEvaluation
import AD3DTensor
import Foundation

/// Runs a detector on a category's test scans and computes the benchmark metrics, optionally
/// keeping the score files (`ad3d eval -m`).
public enum DetectorEvaluation {
    /// Scores every test sample of `category` with `detector` (scans in parallel on `workers`
    /// threads) and pools the results; with the model's `calibration`, also counts its verdicts.
    /// With `saveScores`, writes the score files `ad3d eval --scores` reads. `progress` is called
    /// once per scored scan.
    public static func evaluate(
        _ category: DatasetCategory, detector: any AnomalyDetector, calibration: ScoreCalibration? = nil,
        saveScores: ScoreDirectory? = nil, meshSampleCount: Int = 16_384, seed: UInt64 = 0, workers: Int = 1,
        progress: (() -> Void)? = nil
    ) throws -> CategoryEvaluation {
        var pool = CategoryScorePool()
        var objectScores = [ObjectScore]()
        var verdicts = calibration.map { _ in VerdictCounts() }
        try scoreEach(category, detector: detector, meshSampleCount: meshSampleCount, seed: seed, workers: workers) { scored in
            let (sample, scan, scores) = (scored.sample, scored.scan, scored.scores)
            if let saveScores {
                try ScoreOutput.writePointScores(scores, cloud: scan.cloud, stem: sample.name, to: saveScores, format: .txt)
            }
            pool.add(
                pointScores: scores.pointScores, pointLabels: scan.labels,
                objectScore: Double(scores.objectScore), isDefective: sample.isDefective, defectKind: sample.defectKind)
            objectScores.append(ObjectScore(scan: sample.name, score: Double(scores.objectScore)))
            if let calibration {
                verdicts?.add(isDefective: sample.isDefective, judgedDefective: calibration.judgesDefective(scores))
            }
            progress?()
        }
        if let saveScores {
            try ScoreFiles.writeObjectScores(objectScores, to: saveScores.objectScoresURL)
        }
        var evaluation = try pool.evaluate(name: category.name)
        evaluation.verdicts = verdicts
        return evaluation
    }

    /// Scores every test sample of `category` with `detector` (scans in parallel on `workers`
    /// threads) and hands each, with its labelled points and its scores, to `body`, in the
    /// samples' order.
    public static func scoreEach(
        _ category: DatasetCategory, detector: any AnomalyDetector, meshSampleCount: Int = 16_384, seed: UInt64 = 0,
        workers: Int = 1, _ body: (ScoredTestScan) throws -> Void
    ) throws {
        let samples = category.testSamples
        try ParallelMap.inBatches(count: samples.count, workers: workers) { index in
            let scan = try samples[index].load(meshSampleCount: meshSampleCount, seed: seed)
            return (scan, try detector.score(scan.cloud, readFrom: samples[index].scan))
        } collect: { results, range in
            for (sample, (scan, scores)) in zip(samples[range], results) {
                try body(ScoredTestScan(sample: sample, scan: scan, scores: scores))
            }
        }
    }
}

/// A test sample, its labelled points and a detector's scores.
public struct ScoredTestScan: Sendable {
    /// The test sample.
    public let sample: TestSample
    /// Its points and ground-truth labels.
    public let scan: LabeledScan
    /// The detector's scores.
    public let scores: AnomalyScores

    /// The scores of `sample`, whose points and labels are `scan`.
    public init(sample: TestSample, scan: LabeledScan, scores: AnomalyScores) {
        self.sample = sample
        self.scan = scan
        self.scores = scores
    }
}
