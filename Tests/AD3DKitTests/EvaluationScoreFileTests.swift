import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DEvaluation

/// The score-file convention: round trips and parse errors naming file and line.
@Suite struct EvaluationScoreFileTests {
    private typealias Folder = EvaluationTemporaryFolder

    @Test func pointScoresRoundTripExactly() throws {
        let temp = try Folder()
        var rng = SeededGenerator(seed: 3)
        var scores = (0..<500).map { _ in rng.nextGaussian() * 10 }
        scores += [0, -0.0, 1e-5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity, 0.1]
        let url = temp.url.appendingPathComponent("scores/scan.txt")
        try ScoreFiles.writePointScores(scores, to: url)
        let read = try ScoreFiles.readPointScores(from: url)
        #expect(read.map(\.bitPattern) == scores.map(\.bitPattern))
    }

    @Test func objectScoresRoundTripExactly() throws {
        let temp = try Folder()
        let scores = [
            ObjectScore(scan: "1_bulge", score: 0.123456789012345),
            ObjectScore(scan: "odd,name", score: -3e-300),
            ObjectScore(scan: "good 2", score: .infinity),
        ]
        let directory = ScoreDirectory(url: temp.url)
        try ScoreFiles.writeObjectScores(scores, to: directory.objectScoresURL)
        #expect(try ScoreFiles.readObjectScores(from: directory.objectScoresURL) == scores)
        let text = try String(contentsOf: directory.objectScoresURL, encoding: .utf8)
        #expect(text.hasPrefix("scan,score\n1_bulge,0.123456789012345\n"))
    }

    @Test func readerAcceptsBlankLinesAndCRLF() throws {
        let temp = try Folder()
        let points = try temp.write("1.5\r\n\r\n  -2e3 \n\n7", to: "a.txt")
        #expect(try ScoreFiles.readPointScores(from: points) == [1.5, -2000, 7])
        let objects = try temp.write("scan, score\r\na ,0.5\r\n\nb,1\r\n", to: "objects.csv")
        #expect(try ScoreFiles.readObjectScores(from: objects) == [
            ObjectScore(scan: "a", score: 0.5), ObjectScore(scan: "b", score: 1),
        ])
    }

    @Test(arguments: [
        ("0.5\n\n  \nabc\n", 4, "abc"),
        ("0.5\n0.5 0.6\n", 2, "0.5 0.6"),
        ("1.0x\n", 1, "1.0x"),
    ])
    func pointScoreParseErrors(text: String, line: Int, offending: String) throws {
        let temp = try Folder()
        let url = try temp.write(text, to: "bad.txt")
        #expect(throws: ScoreFileError.invalidLine(path: url.path, line: line, text: offending)) {
            try ScoreFiles.readPointScores(from: url)
        }
    }

    @Test func scoreFileErrors() throws {
        let temp = try Folder()
        let nan = try temp.write("1\nnan\n", to: "nan.txt")
        #expect(throws: ScoreFileError.notANumber(path: nan.path, line: 2)) {
            try ScoreFiles.readPointScores(from: nan)
        }
        let missing = temp.url.appendingPathComponent("missing.txt")
        #expect(throws: ScoreFileError.missing(path: missing.path)) {
            try ScoreFiles.readPointScores(from: missing)
        }
        let header = try temp.write("name,value\na,1\n", to: "h.csv")
        #expect(throws: ScoreFileError.missingHeader(path: header.path, found: "name,value")) {
            try ScoreFiles.readObjectScores(from: header)
        }
        let empty = try temp.write("\n", to: "e.csv")
        #expect(throws: ScoreFileError.missingHeader(path: empty.path, found: "")) {
            try ScoreFiles.readObjectScores(from: empty)
        }
        let twice = try temp.write("scan,score\na,1\nb,2\na,3\n", to: "t.csv")
        #expect(throws: ScoreFileError.duplicateScan(path: twice.path, line: 4, scan: "a")) {
            try ScoreFiles.readObjectScores(from: twice)
        }
        let noComma = try temp.write("scan,score\na 1\n", to: "c.csv")
        #expect(throws: ScoreFileError.invalidLine(path: noComma.path, line: 2, text: "a 1")) {
            try ScoreFiles.readObjectScores(from: noComma)
        }
        let noName = try temp.write("scan,score\n,1\n", to: "n.csv")
        #expect(throws: ScoreFileError.invalidLine(path: noName.path, line: 2, text: ",1")) {
            try ScoreFiles.readObjectScores(from: noName)
        }
    }

    @Test func writerRefusesWhatTheReaderWouldReject() throws {
        let temp = try Folder()
        let points = temp.url.appendingPathComponent("p.txt")
        #expect(throws: ScoreFileError.notANumber(path: points.path, line: 2)) {
            try ScoreFiles.writePointScores([1, .nan], to: points)
        }
        #expect(!FileManager.default.fileExists(atPath: points.path))
        let objects = temp.url.appendingPathComponent("objects.csv")
        #expect(throws: ScoreFileError.invalidScanName(path: objects.path, scan: "a\nb")) {
            try ScoreFiles.writeObjectScores([ObjectScore(scan: "a\nb", score: 1)], to: objects)
        }
    }

    @Test func errorMessagesNameFileAndLine() {
        let message = ScoreFileError.invalidLine(path: "/s/a.txt", line: 7, text: "x").localizedDescription
        #expect(message == "/s/a.txt:7: cannot parse 'x'")
    }
}
