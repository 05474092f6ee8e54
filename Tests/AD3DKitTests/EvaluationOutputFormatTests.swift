import Foundation
import Testing
import AD3DKit
@testable import AD3DEvaluation

/// What `ad3d infer` writes, `ad3d eval --scores` reads: every point-score format, CSV quoting,
/// and the per-defect-type metrics.
@Suite struct EvaluationOutputFormatTests {
    private typealias Folder = EvaluationTemporaryFolder

    /// A category with two good scans and one defective scan named `name`, and its point scores.
    private func writeCategory(in temp: Folder, defective name: String = "3_bulge") throws -> [String: [Float]] {
        try temp.write(Folder.scanText(points: 3), to: "data/test/1_good.txt")
        try temp.write(Folder.scanText(points: 2), to: "data/test/2_good.txt")
        try temp.write(Folder.scanText(points: 4), to: "data/test/\(name).txt")
        try temp.write(Folder.groundTruthText(labels: [0, 1, 1, 0]), to: "data/gt/\(name).txt")
        return ["1_good": [0.1, -2.5, 0.4], "2_good": [0.3, 1e-7], name: [0.2, 0.9, 0.35, 0.3]]
    }

    /// Writes every scan's scores with `ScoreOutput` in `format`, and `objects.csv`.
    private func writeScores(_ points: [String: [Float]], in temp: Folder, folder: String, format: ScoreOutputFormat) throws {
        let category = try DatasetCategory(discoveringAt: temp.url.appendingPathComponent("data"))
        let directory = ScoreDirectory(url: temp.url.appendingPathComponent(folder, isDirectory: true))
        var objects = [ObjectScore]()
        for sample in category.testSamples {
            let scores = try #require(points[sample.name])
            let cloud = try sample.load().cloud
            try ScoreOutput.writePointScores(
                AnomalyScores(pointScores: scores, objectScore: scores.max()!), cloud: cloud, stem: sample.name,
                to: directory, format: format)
            objects.append(ObjectScore(scan: sample.name, score: Double(scores.max()!)))
        }
        try ScoreFiles.writeObjectScores(objects, to: directory.objectScoresURL)
    }

    private func evaluate(_ temp: Folder, scores folder: String) throws -> EvaluationReport {
        try ScoreFileEvaluation.evaluate(
            DatasetLayout(discoveringAt: temp.url.appendingPathComponent("data")),
            scores: ScoreDirectory(url: temp.url.appendingPathComponent(folder, isDirectory: true)))
    }

    @Test func npyAndPlyScoreFilesGiveTheMetricsOfTextOnes() throws {
        let temp = try Folder()
        let points = try writeCategory(in: temp)
        for format in ScoreOutputFormat.allCases {
            try writeScores(points, in: temp, folder: format.rawValue, format: format)
        }
        let text = try evaluate(temp, scores: "txt")
        // The anomalous points 0.9 and 0.35 beat all 7 normal points but 0.4 (0.35 < 0.4): 13 of 14 pairs.
        #expect(text.categories.first?.pointAUROC == 13.0 / 14.0)
        #expect(try evaluate(temp, scores: "npy") == text)
        #expect(try evaluate(temp, scores: "ply") == text)
        let ply = temp.url.appendingPathComponent("ply/3_bulge.ply")
        #expect(try PointScoreFile.read(ply) == points["3_bulge"])
    }

    @Test func scoreFilesOfOneScanInTwoFormatsMustAgree() throws {
        let temp = try Folder()
        var points = try writeCategory(in: temp)
        try writeScores(points, in: temp, folder: "s", format: .txt)
        try writeScores(points, in: temp, folder: "s", format: .npy)
        let agreeing = try evaluate(temp, scores: "s")
        #expect(agreeing.categories.first?.pointAUROC == 13.0 / 14.0)
        points["2_good"] = [0.3, 2]
        try writeScores(points, in: temp, folder: "s", format: .ply)
        let folder = temp.url.appendingPathComponent("s")
        #expect(throws: ScoreFileError.conflictingFiles(
            path: folder.appendingPathComponent("2_good.txt").path, other: folder.appendingPathComponent("2_good.ply").path)) {
            try evaluate(temp, scores: "s")
        }
    }

    @Test func npyScoresMustBeAVectorWithoutNaN() throws {
        let temp = try Folder()
        let matrix = temp.url.appendingPathComponent("m.npy"), nan = temp.url.appendingPathComponent("n.npy")
        try NPYFile.write(Tensor(shape: [2, 2], storage: [1, 2, 3, 4]), to: matrix)
        try NPYFile.write(Tensor(shape: [3], storage: [1, .nan, 3]), to: nan)
        #expect(throws: ScoreFileError.notAVector(path: matrix.path, shape: [2, 2])) { try PointScoreFile.read(matrix) }
        #expect(throws: ScoreFileError.notANumberAt(path: nan.path, index: 1)) { try PointScoreFile.read(nan) }
    }

    @Test func aScanNameWithCommaAndQuotesRoundTripsThroughObjectsCSV() throws {
        let temp = try Folder()
        let name = "part 7,lot A \"x\""
        let scores = [ObjectScore(scan: name, score: 2.5), ObjectScore(scan: "plain", score: -1)]
        let url = temp.url.appendingPathComponent("objects.csv")
        try ScoreFiles.writeObjectScores(scores, to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "scan,score\n\"part 7,lot A \"\"x\"\"\",2.5\nplain,-1.0\n")
        #expect(try ScoreFiles.readObjectScores(from: url) == scores)
    }

    @Test func aScanNameWithCommaAndQuotesIsEvaluatedFromScoreFiles() throws {
        let temp = try Folder()
        let name = "part 7,lot A \"x\""
        let points = try writeCategory(in: temp, defective: name)
        try writeScores(points, in: temp, folder: "s", format: .txt)
        let category = try #require(try evaluate(temp, scores: "s").categories.first)
        #expect(category.defective == 1 && category.pointAUROC == 13.0 / 14.0)
        #expect(category.defectKinds.map(\.kind) == [TestSample.unnamedDefectKind])
    }

    @Test func anUnterminatedQuoteIsAnErrorNamingFileAndRow() throws {
        let temp = try Folder()
        let url = try temp.write("scan,score\n\"a,1\n", to: "objects.csv")
        #expect(throws: ScoreFileError.invalidLine(path: url.path, line: 2, text: "a,1\n")) {
            try ScoreFiles.readObjectScores(from: url)
        }
    }

    @Test(arguments: [
        ("10_cut", "cut"), ("3_good", "good"), ("bulge", "bulge"), ("7_hole_2", "defective"), ("scan_", "defective"),
        ("a_b_crack", "crack"),
    ])
    func defectKindIsTheNamesAlphabeticSuffix(name: String, kind: String) {
        let sample = TestSample(name: name, scan: URL(fileURLWithPath: "/x"), groundTruth: URL(fileURLWithPath: "/g"))
        #expect(sample.defectKind == kind)
        #expect(TestSample(name: name, scan: URL(fileURLWithPath: "/x"), groundTruth: nil).defectKind == nil)
    }

    @Test func perDefectTypeMetricsMatchAHandComputedExample() throws {
        let temp = try Folder()
        let layout: [(name: String, labels: [UInt8]?, scores: [Float], object: Double)] = [
            ("1_good", nil, [0.1, 0.2], 0.2), ("2_good", nil, [0.3], 0.5),
            ("1_cut", [1, 0], [0.9, 0.1], 0.6), ("2_cut", [0, 1], [0.2, 0.15], 0.4),
            ("3_hole", [1], [0.25], 0.1), ("4_x9", [1], [0.35], 0.7),
        ]
        var csv = "scan,score\n"
        for scan in layout {
            try temp.write(Folder.scanText(points: scan.scores.count), to: "data/test/\(scan.name).txt")
            if let labels = scan.labels { try temp.write(Folder.groundTruthText(labels: labels), to: "data/gt/\(scan.name).txt") }
            try ScoreFiles.writePointScores(scan.scores, to: temp.url.appendingPathComponent("s/\(scan.name).txt"))
            csv += "\(scan.name),\(scan.object)\n"
        }
        try temp.write(csv, to: "s/objects.csv")
        let kinds = try #require(try evaluate(temp, scores: "s").categories.first).defectKinds
        // cut: objects 0.6, 0.4 against goods 0.2, 0.5 → 3 of 4 pairs; points 0.9 beats all 5 normal
        // points (0.1, 0.2 of the cut scans; 0.1, 0.2, 0.3 of the goods), 0.15 beats the two 0.1s → 7 of 10.
        // hole: object 0.1 beats no good → 0; point 0.25 beats 0.1 and 0.2 of the goods → 2 of 3.
        // 4_x9 (no alphabetic suffix → "defective"): object 0.7 and point 0.35 beat every good → 1.
        #expect(kinds.map(\.kind) == ["cut", "defective", "hole"])
        #expect(kinds.map(\.scans) == [2, 1, 1])
        #expect(kinds.map(\.objectAUROC) == [0.75, 1, 0])
        let pointAUROCs = kinds.map { $0.pointAUROC ?? .nan }
        #expect(zip(pointAUROCs, [0.7, 1, 2.0 / 3]).allSatisfy { abs($0 - $1) < 1e-12 })
        let json = try TextFormatting.json(kinds[0])
        #expect(json == #"{"kind":"cut","object_auroc":0.75,"point_auroc":0.7,"scans":2}"#)
    }
}
