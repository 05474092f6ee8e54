import Foundation

/// Evaluates score files written by a detector (see `ScoreDirectory`) against a dataset's
/// ground truth.
public enum ScoreFileEvaluation {
    /// Evaluates every category of `dataset`. For a single category the score files sit directly
    /// in `scores`; for a dataset root, in `scores/<category>/`.
    public static func evaluate(_ dataset: DatasetLayout, scores: ScoreDirectory) throws -> EvaluationReport {
        let categories = try dataset.categories.map { category in
            try evaluate(category, scores: dataset.isSingleCategory ? scores : scores.category(category.name))
        }
        return EvaluationReport(categories: categories)
    }

    /// Evaluates one category: aligns every test scan with its point scores and object score,
    /// then pools them. A score file whose length differs from the points it scores is an error.
    public static func evaluate(_ category: DatasetCategory, scores: ScoreDirectory) throws -> CategoryEvaluation {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: scores.url.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { throw EvaluationError.missingScoreFolder(path: scores.url.path) }

        let objectScores = try alignedObjectScores(category, scores: scores)
        var pool = CategoryScorePool()
        for (sample, objectScore) in zip(category.testSamples, objectScores) {
            let scan = try sample.load()
            let (pointScores, scoresURL) = try PointScoreFile.read(scan: sample.name, in: scores)
            guard pointScores.count == scan.labels.count else {
                throw EvaluationError.pointCountMismatch(
                    scores: scoresURL.path, scoreCount: pointScores.count,
                    reference: scan.source.path, referenceCount: scan.labels.count)
            }
            pool.add(
                pointScores: pointScores, pointLabels: scan.labels,
                objectScore: objectScore, isDefective: sample.isDefective,
                defectKind: sample.defectKind)
        }
        return try pool.evaluate(name: category.name)
    }

    /// `objects.csv` in the order of the category's test samples, checked to list exactly those.
    private static func alignedObjectScores(_ category: DatasetCategory, scores: ScoreDirectory) throws -> [Double] {
        let url = scores.objectScoresURL
        var byScan = [String: Double]()
        for entry in try ScoreFiles.readObjectScores(from: url) {
            byScan[entry.scan] = entry.score
        }
        let names = Set(category.testSamples.map(\.name))
        if let unknown = byScan.keys.filter({ !names.contains($0) }).min() {
            throw EvaluationError.unknownObjectScore(
                path: url.path, scan: unknown, testFolder: category.directory.appendingPathComponent("test").path)
        }
        return try category.testSamples.map { sample in
            guard let score = byScan[sample.name] else {
                throw EvaluationError.missingObjectScore(path: url.path, scan: sample.name)
            }
            return score
        }
    }
}
