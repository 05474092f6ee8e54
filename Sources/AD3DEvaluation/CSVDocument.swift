import AD3DSupport
import CSV
import Foundation

/// The CSV files ad3d writes and reads (`objects.csv`, `regions.csv`), through the CSV library:
/// fields holding a comma, a double quote or a line break are quoted (RFC 4180), so any scan
/// name survives a round trip.
package enum CSVDocument {
    /// The text of a CSV file: `header`, then `rows`, each line ended by a line feed.
    package static func text(header: [String], rows: [[String]]) throws -> String {
        let stream = OutputStream.toMemory()
        stream.open()
        defer { stream.close() }
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row) }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The non-blank rows of the CSV file at `url` with their 1-based row numbers, fields trimmed
    /// of spaces and tabs.
    static func rows(of url: URL) throws(ScoreFileError) -> [(number: Int, fields: [String])] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ScoreFileError.missing(path: url.path) }
        let data = try ReadableFile.contents(of: url) { ScoreFileError.unreadable(path: url.path, reason: $0) }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: String(decoding: data, as: UTF8.self), trimFields: true)
        } catch {
            throw ScoreFileError.malformedCSV(path: url.path, reason: "\(error)")
        }
        var rows = [(number: Int, fields: [String])]()
        var number = 0
        while let fields = reader.next() {
            number += 1
            if !fields.allSatisfy(\.isEmpty) { rows.append((number, fields)) }
        }
        if let error = reader.error { throw ScoreFileError.malformedCSV(path: url.path, reason: "\(error)") }
        return rows
    }
}
