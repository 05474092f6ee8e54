import AD3DSupport
import Foundation

/// The object score of one scan, as listed in `objects.csv`.
public struct ObjectScore: Sendable, Equatable, Codable {
    /// The scan's file name without extension.
    public var scan: String
    /// The object-level anomaly score (higher = more anomalous).
    public var score: Double

    /// A score for `scan`.
    public init(scan: String, score: Double) {
        self.scan = scan
        self.score = score
    }
}

/// A folder of anomaly scores for the test scans of one category.
///
/// Convention (what `ad3d eval` reads and detectors write):
/// - `<DIR>/<scan>.txt`: one point score per line, in the scan's point order (for a defective
///   scan, the order of its ground-truth file), as a decimal number (`inf`/`-inf` allowed, NaN
///   not); blank lines are ignored. `<scan>` is the scan's file name without extension. Instead
///   of the text file: `<scan>.npy` (a vector of N scores, float32 or float64) or `<scan>.ply`
///   (the points with a `scalar` vertex property). When a scan has score files in several of
///   these formats they must hold the same scores.
/// - `<DIR>/objects.csv`: header `scan,score`, then one `<scan>,<score>` row per test scan, as
///   CSV: a scan name holding a comma, a double quote or a line break is quoted (RFC 4180).
/// - For a dataset root, `<DIR>` has one sub-folder per category, named like the category.
/// Higher scores mean more anomalous.
public struct ScoreDirectory: Sendable, Equatable {
    /// The folder.
    public var url: URL

    /// A score folder at `url`.
    public init(url: URL) {
        self.url = url
    }

    /// The score folder of category `name` under a dataset-level score folder.
    public func category(_ name: String) -> ScoreDirectory {
        ScoreDirectory(url: url.appendingPathComponent(name, isDirectory: true))
    }

    /// `<DIR>/<scan>.txt`, or the file of another `format`.
    public func pointScoresURL(scan: String, format: ScoreOutputFormat = .txt) -> URL {
        url.appendingPathComponent(scan + "." + format.rawValue)
    }

    /// `<DIR>/objects.csv`.
    public var objectScoresURL: URL {
        url.appendingPathComponent("objects.csv")
    }

    /// `<DIR>/regions.csv`, the defect regions `ad3d infer --threshold` found (not read by `ad3d eval`).
    public var regionsURL: URL {
        url.appendingPathComponent("regions.csv")
    }
}

/// Reads and writes the score files described at `ScoreDirectory`.
public enum ScoreFiles {
    /// Reads one point score per line from `url`.
    public static func readPointScores(from url: URL) throws(ScoreFileError) -> [Float] {
        var scores = [Float]()
        try ScoreText.forEachLine(of: url) { line, text throws(ScoreFileError) in
            guard let score = text.parseNumber(strtof) else {
                throw ScoreFileError.invalidLine(path: url.path, line: line, text: text.string)
            }
            guard !score.isNaN else { throw ScoreFileError.notANumber(path: url.path, line: line) }
            scores.append(score)
        }
        return scores
    }

    /// Writes one score per line to `url` (atomically); NaN scores are refused.
    public static func writePointScores(_ scores: [Float], to url: URL) throws {
        if let index = scores.firstIndex(where: \.isNaN) {
            throw ScoreFileError.notANumber(path: url.path, line: index + 1)
        }
        var text = ""
        text.reserveCapacity(scores.count * 12)
        for score in scores {
            text += score.description
            text += "\n"
        }
        try AtomicFileWriter.write(Data(text.utf8), to: url)
    }

    /// Reads `objects.csv` at `url`, in file order; a scan listed twice is an error.
    public static func readObjectScores(from url: URL) throws(ScoreFileError) -> [ObjectScore] {
        let rows = try CSVDocument.rows(of: url)
        guard let header = rows.first, header.fields == ["scan", "score"] else {
            throw ScoreFileError.missingHeader(path: url.path, found: rows.first?.fields.joined(separator: ",") ?? "")
        }
        var scores = [ObjectScore]()
        var seen = Set<String>()
        for (line, fields) in rows.dropFirst() {
            guard fields.count == 2, !fields[0].isEmpty, let score = Double(fields[1]) else {
                throw ScoreFileError.invalidLine(path: url.path, line: line, text: fields.joined(separator: ","))
            }
            guard !score.isNaN else { throw ScoreFileError.notANumber(path: url.path, line: line) }
            guard seen.insert(fields[0]).inserted else {
                throw ScoreFileError.duplicateScan(path: url.path, line: line, scan: fields[0])
            }
            scores.append(ObjectScore(scan: fields[0], score: score))
        }
        return scores
    }

    /// Writes `scores` as `objects.csv` to `url` (atomically, names quoted where CSV needs it).
    public static func writeObjectScores(_ scores: [ObjectScore], to url: URL) throws {
        var rows = [[String]]()
        for (index, entry) in scores.enumerated() {
            guard !entry.scan.isEmpty, !entry.scan.contains(where: \.isNewline),
                entry.scan.trimmingCharacters(in: .whitespaces) == entry.scan
            else { throw ScoreFileError.invalidScanName(path: url.path, scan: entry.scan) }
            guard !entry.score.isNaN else { throw ScoreFileError.notANumber(path: url.path, line: index + 2) }
            rows.append([entry.scan, "\(entry.score)"])
        }
        try AtomicFileWriter.write(Data(try CSVDocument.text(header: ["scan", "score"], rows: rows).utf8), to: url)
    }
}
