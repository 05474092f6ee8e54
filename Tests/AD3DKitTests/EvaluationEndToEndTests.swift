import Foundation
import Testing
import AD3DKit
@testable import AD3DEvaluation

/// Score-file evaluation of tiny datasets whose metrics are known by hand.
@Suite struct EvaluationEndToEndTests {
    private typealias Folder = EvaluationTemporaryFolder

    /// `alpha` has perfect scores; `beta` has reversed ones.
    private func writeDataset(in temp: Folder) throws {
        // alpha: two good scans (3 and 2 points), one defective (4 points in its gt file;
        // the .txt scan itself has a different count, which must not matter).
        try temp.write(Folder.scanText(points: 3), to: "data/alpha/test/good_1.txt")
        try temp.write(Folder.scanText(points: 2), to: "data/alpha/test/good_2.txt")
        try temp.write(Folder.scanText(points: 9), to: "data/alpha/test/bulge.txt")
        try temp.write(Folder.groundTruthText(labels: [0, 1, 1, 0]), to: "data/alpha/gt/bulge.txt")
        try temp.write(Folder.scanText(points: 3), to: "data/alpha/train/template.txt")
        try writeScores(in: temp, "scores/alpha", [
            "good_1": [0.1, 0.2, 0.1], "good_2": [0.3, 0.3], "bulge": [0.2, 0.9, 0.8, 0.3],
        ], objects: "scan,score\ngood_1,0.2\ngood_2,0.3\nbulge,0.9\n")

        // beta: one good scan, one defective; everything ranked backwards.
        try temp.write(Folder.scanText(points: 2), to: "data/beta/test/good.txt")
        try temp.write(Folder.scanText(points: 2), to: "data/beta/test/sink.txt")
        try temp.write(Folder.groundTruthText(labels: [1, 0]), to: "data/beta/GT/sink.txt")
        try writeScores(in: temp, "scores/beta", ["good": [0.9, 0.9], "sink": [0.1, 0.5]],
                        objects: "scan,score\ngood,0.9\nsink,0.1\n")
    }

    private func writeScores(in temp: Folder, _ folder: String, _ points: [String: [Float]], objects: String) throws {
        let directory = ScoreDirectory(url: temp.url.appendingPathComponent(folder))
        for (scan, scores) in points {
            try ScoreFiles.writePointScores(scores, to: directory.pointScoresURL(scan: scan))
        }
        try temp.write(objects, to: "\(folder)/objects.csv")
    }

    private func evaluate(_ temp: Folder, _ data: String, _ scores: String) throws -> EvaluationReport {
        try ScoreFileEvaluation.evaluate(
            DatasetLayout(discoveringAt: temp.url.appendingPathComponent(data)),
            scores: ScoreDirectory(url: temp.url.appendingPathComponent(scores)))
    }

    @Test func datasetRootMatchesHandComputedMetrics() throws {
        let temp = try Folder()
        try writeDataset(in: temp)
        let report = try evaluate(temp, "data", "scores")
        #expect(report.categories == [
            CategoryEvaluation(
                name: "alpha", objectAUROC: 1, objectAUPR: 1, pointAUROC: 1, pointAUPR: 1,
                pointMaxF1: 1, pointThreshold: Double(Float(0.8)), good: 2, defective: 1, points: 9,
                defectKinds: [DefectKindEvaluation(kind: "bulge", scans: 1, objectAUROC: 1, pointAUROC: 1)]),
            // Objects: good 0.9 above defective 0.1 → AUROC 0, AP = precision ½ at full recall.
            // Points: 0.9, 0.9, 0.5 (good) above 0.1 (anomalous) → AUROC 0, AP = ¼; the best F1 flags
            // all four points: 2·1 / (2·1 + 3 + 0) = 0.4.
            CategoryEvaluation(
                name: "beta", objectAUROC: 0, objectAUPR: 0.5, pointAUROC: 0, pointAUPR: 0.25,
                pointMaxF1: 0.4, pointThreshold: Double(Float(0.1)), good: 1, defective: 1, points: 4,
                defectKinds: [DefectKindEvaluation(kind: "sink", scans: 1, objectAUROC: 0, pointAUROC: 0)]),
        ])
        #expect(report.mean == MeanEvaluation(of: report.categories))
        #expect(report.mean.objectAUROC == 0.5)
        #expect(report.mean.objectAUPR == 0.75)
        #expect(report.mean.pointAUPR == 0.625)

        let lines = report.table().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 8)
        #expect(lines[0].hasPrefix("category  object AUROC"))
        #expect(lines[1].split(separator: " ") == ["alpha", "1.0000", "1.0000", "1.0000", "1.0000", "1.0000", "0.8", "2", "1", "9"])
        #expect(lines[2].split(separator: " ") == ["beta", "0.0000", "0.5000", "0.0000", "0.2500", "0.4000", "0.1", "1", "1", "4"])
        #expect(lines[3].split(separator: " ") == ["mean", "0.5000", "0.7500", "0.5000", "0.6250", "0.7000"])
        #expect(lines[0].count == lines[1].count && lines[1].count == lines[2].count)
        #expect(lines[4].isEmpty)
        #expect(lines[5].hasPrefix("category  defect  scans  object AUROC  point AUROC"))
        #expect(lines[6].split(separator: " ") == ["alpha", "bulge", "1", "1.0000", "1.0000"])
        #expect(lines[7].split(separator: " ") == ["beta", "sink", "1", "0.0000", "0.0000"])
    }

    @Test func singleCategoryReadsScoresFromTheFolderItself() throws {
        let temp = try Folder()
        try writeDataset(in: temp)
        let report = try evaluate(temp, "data/beta", "scores/beta")
        #expect(report.categories.map(\.name) == ["beta"])
        #expect(report.mean.pointAUPR == 0.25)
        #expect(!report.table().contains("mean"))
    }

    @Test func jsonHasTheDocumentedShapeWithNullForNotApplicable() throws {
        let temp = try Folder()
        try temp.write(Folder.scanText(points: 2), to: "data/only_good/test/a.txt")
        try writeScores(in: temp, "scores", ["a": [0.1, 0.2]], objects: "scan,score\na,0.5\n")
        let report = try evaluate(temp, "data/only_good", "scores")
        #expect(report.table().contains("n/a"))

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["categories", "mean"])
        let categories = try #require(json["categories"] as? [[String: Any]])
        let category = try #require(categories.first)
        #expect(Set(category.keys) == [
            "name", "object_auroc", "object_aupr", "point_auroc", "point_aupr", "point_max_f1", "point_threshold",
            "good", "defective", "points", "defect_kinds", "verdicts",
        ])
        #expect(category["verdicts"] is NSNull)
        #expect(category["object_auroc"] is NSNull)
        #expect(category["point_aupr"] is NSNull)
        #expect(category["point_threshold"] is NSNull)
        #expect(category["good"] as? Int == 1)
        #expect(category["points"] as? Int == 2)
        let mean = try #require(json["mean"] as? [String: Any])
        #expect(Set(mean.keys) == ["object_auroc", "object_aupr", "point_auroc", "point_aupr", "point_max_f1"])
        #expect(mean["point_auroc"] is NSNull)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: Data(report.json().utf8)) == report)
    }

    @Test func mismatchedPointCountsNameBothFiles() throws {
        let temp = try Folder()
        try writeDataset(in: temp)
        let scores = ScoreDirectory(url: temp.url.appendingPathComponent("scores/alpha"))
        try ScoreFiles.writePointScores([0.1, 0.2, 0.3], to: scores.pointScoresURL(scan: "bulge"))
        let gt = temp.url.appendingPathComponent("data/alpha/gt/bulge.txt")
        #expect(throws: EvaluationError.pointCountMismatch(
            scores: scores.pointScoresURL(scan: "bulge").path, scoreCount: 3, reference: gt.path, referenceCount: 4)) {
            try evaluate(temp, "data", "scores")
        }

        try ScoreFiles.writePointScores([0.1, 0.2, 0.3], to: scores.pointScoresURL(scan: "bulge").deletingLastPathComponent()
            .appendingPathComponent("good_2.txt"))
        try ScoreFiles.writePointScores([0.1, 0.2, 0.3, 0.4], to: scores.pointScoresURL(scan: "bulge"))
        let scan = temp.url.appendingPathComponent("data/alpha/test/good_2.txt")
        #expect(throws: EvaluationError.pointCountMismatch(
            scores: scores.pointScoresURL(scan: "good_2").path, scoreCount: 3, reference: scan.path, referenceCount: 2)) {
            try evaluate(temp, "data", "scores")
        }
    }

    @Test func objectScoresMustListExactlyTheTestScans() throws {
        let temp = try Folder()
        try writeDataset(in: temp)
        let csv = temp.url.appendingPathComponent("scores/beta/objects.csv")
        try temp.write("scan,score\ngood,0.9\n", to: "scores/beta/objects.csv")
        #expect(throws: EvaluationError.missingObjectScore(path: csv.path, scan: "sink")) {
            try evaluate(temp, "data", "scores")
        }
        try temp.write("scan,score\ngood,0.9\nsink,0.1\nghost,3\n", to: "scores/beta/objects.csv")
        #expect(throws: EvaluationError.unknownObjectScore(
            path: csv.path, scan: "ghost", testFolder: temp.url.appendingPathComponent("data/beta/test").path)) {
            try evaluate(temp, "data", "scores")
        }
    }

    @Test func missingScoreFilesAreReported() throws {
        let temp = try Folder()
        try writeDataset(in: temp)
        try FileManager.default.removeItem(at: temp.url.appendingPathComponent("scores/beta"))
        #expect(throws: EvaluationError.missingScoreFolder(path: temp.url.appendingPathComponent("scores/beta").path)) {
            try evaluate(temp, "data", "scores")
        }
        let lost = temp.url.appendingPathComponent("scores/alpha/good_1.txt")
        try FileManager.default.removeItem(at: lost)
        #expect(throws: ScoreFileError.missing(path: lost.path)) {
            try evaluate(temp, "data", "scores")
        }
    }

    @Test func groundTruthNeedsLabels() throws {
        let temp = try Folder()
        try temp.write(Folder.scanText(points: 2), to: "data/test/a.txt")
        let gt = try temp.write(Folder.scanText(points: 2), to: "data/gt/a.txt")
        let sample = try #require(try DatasetCategory(discoveringAt: temp.url.appendingPathComponent("data")).testSamples.first)
        #expect(throws: EvaluationError.groundTruthWithoutLabels(path: gt.path)) { try sample.load() }
    }

    @Test func poolMatchesRankingMetricsOnConcatenatedScans() throws {
        var pool = CategoryScorePool()
        pool.add(pointScores: [0.1, 0.7], pointLabels: [0, 1], objectScore: 0.7, isDefective: true)
        pool.add(pointScores: [0.7, 0.2, 0.1], pointLabels: [0, 0, 0], objectScore: 0.7, isDefective: false)
        let result = try pool.evaluate(name: "pooled")
        // The anomalous point (0.7) beats 0.1, 0.2, 0.1 and ties the other 0.7: 3.5 of 4 pairs.
        let expected = try #require(
            try areaUnderROC(scores: [0.1, 0.7, 0.7, 0.2, 0.1] as [Float], labels: [0, 1, 0, 0, 0]))
        #expect(result.pointAUROC == expected)
        #expect(expected == 0.875)
        #expect(result.objectAUROC == 0.5)
        #expect(result.good == 1 && result.defective == 1 && result.points == 5)
    }

    @Test func verdictsAreCountedPerCategoryAndPooled() {
        var first = VerdictCounts(), second = VerdictCounts()
        for (defective, judged) in [(false, false), (false, true), (true, true), (true, false), (true, true)] {
            first.add(isDefective: defective, judgedDefective: judged)
        }
        second.add(isDefective: false, judgedDefective: false)
        #expect(first.goodJudgedDefective == 1 && first.good == 2 && first.defectiveJudgedDefective == 2 && first.defective == 3)
        var a = CategoryEvaluation(name: "a", objectAUROC: 1, objectAUPR: 1, pointAUROC: nil, pointAUPR: nil, good: 2, defective: 3, points: 5)
        a.verdicts = first
        var b = CategoryEvaluation(name: "b", objectAUROC: nil, objectAUPR: nil, pointAUROC: nil, pointAUPR: nil, good: 1, defective: 0, points: 1)
        b.verdicts = second
        let lines = EvaluationReport(categories: [a, b]).table().split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("a ") && $0.contains("1/2 (50.0%)") && $0.contains("2/3 (66.7%)") })
        #expect(lines.contains { $0.hasPrefix("b ") && $0.contains("0/1 (0.0%)") && $0.contains("n/a") })
        #expect(lines.contains { $0.hasPrefix("all ") && $0.contains("1/3 (33.3%)") && $0.contains("2/3 (66.7%)") })
    }
}
