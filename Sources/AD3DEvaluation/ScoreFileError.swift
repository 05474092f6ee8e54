import Foundation

/// A score file that is missing or does not follow the score-file convention (see `ScoreDirectory`).
public enum ScoreFileError: Error, LocalizedError, Equatable {
    /// The file does not exist.
    case missing(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// A line is not a number (point scores) or not `scan,score` (object scores).
    case invalidLine(path: String, line: Int, text: String)
    /// A score is NaN.
    case notANumber(path: String, line: Int)
    /// `objects.csv` does not start with the header `scan,score`.
    case missingHeader(path: String, found: String)
    /// `objects.csv` lists a scan twice.
    case duplicateScan(path: String, line: Int, scan: String)
    /// A binary score file (NPY, PLY) holds a NaN score, at 0-based position `index`.
    case notANumberAt(path: String, index: Int)
    /// An NPY score file is not a vector of scores.
    case notAVector(path: String, shape: [Int])
    /// Two score files of one scan, in different formats, hold different scores.
    case conflictingFiles(path: String, other: String)
    /// The file is not well-formed CSV (an unterminated quote, say).
    case malformedCSV(path: String, reason: String)
    /// A scan name cannot be written to `objects.csv` (empty, or contains a line break).
    case invalidScanName(path: String, scan: String)

    /// A one-line message naming what is wrong and where.
    public var errorDescription: String? {
        switch self {
        case .missing(let path):
            return "\(path): no such score file"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalidLine(let path, let line, let text):
            return "\(path):\(line): cannot parse '\(text)'"
        case .notANumber(let path, let line):
            return "\(path):\(line): score is NaN"
        case .missingHeader(let path, let found):
            return "\(path): the first line must be 'scan,score', found '\(found)'"
        case .duplicateScan(let path, let line, let scan):
            return "\(path):\(line): scan '\(scan)' is listed twice"
        case .notANumberAt(let path, let index):
            return "\(path): score \(index + 1) is NaN"
        case .notAVector(let path, let shape):
            return "\(path): expected a vector of scores, shape (N) or (N, 1), got \(shape)"
        case .conflictingFiles(let path, let other):
            return "\(path) and \(other) hold different scores for one scan; remove the stale one"
        case .malformedCSV(let path, let reason):
            return "\(path): not well-formed CSV (\(reason))"
        case .invalidScanName(let path, let scan):
            return "\(path): cannot write scan name '\(scan.debugDescription)' (empty or with a line break)"
        }
    }
}
