import AD3DEvaluation
import AD3DTensor
import Foundation

/// Runs a detector on a category's test scans and computes the benchmark metrics, optionally
/// keeping the score files (`ad3d eval -m`).
public enum DetectorEvaluation {
    /// Scores every test sample of `category` with `detector` (scans in parallel on `workers`
    /// threads) and pools the results. With `saveScores`, writes the score files `ad3d eval
    /// --scores` reads. `progress` is called once per scored scan.
    public static func evaluate(
        _ category: DatasetCategory, detector: any AnomalyDetector, saveScores: ScoreDirectory? = nil,
        meshSampleCount: Int = 16_384, seed: UInt64 = 0, workers: Int = 1, progress: (() -> Void)? = nil
    ) throws -> CategoryEvaluation {
        var pool = CategoryScorePool()
        var objectScores = [ObjectScore]()
        let samples = category.testSamples
        try ParallelMap.inBatches(count: samples.count, workers: workers) { index in
            let sample = samples[index]
            let scan = try sample.load(meshSampleCount: meshSampleCount, seed: seed)
            let scores = try detector.score(scan.cloud, readFrom: sample.scan)
            if let saveScores {
                try ScoreOutput.writePointScores(scores, cloud: scan.cloud, stem: sample.name, to: saveScores, format: .txt)
            }
            return (scan, scores)
        } collect: { results, range in
            for (sample, (scan, scores)) in zip(samples[range], results) {
                pool.add(
                    pointScores: scores.pointScores, pointLabels: scan.labels,
                    objectScore: Double(scores.objectScore), isDefective: sample.isDefective,
                defectKind: sample.defectKind)
                objectScores.append(ObjectScore(scan: sample.name, score: Double(scores.objectScore)))
                progress?()
            }
        }
        if let saveScores {
            try ScoreFiles.writeObjectScores(objectScores, to: saveScores.objectScoresURL)
        }
        return try pool.evaluate(name: category.name)
    }
}
