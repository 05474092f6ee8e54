import AD3DSupport
import Foundation

/// Line-by-line access to a small text format, without a `String` per line.
enum ScoreText {
    /// One trimmed, non-empty line: bytes `[start, end)` of a NUL-terminated buffer.
    struct Line {
        let base: UnsafePointer<CChar>
        let start: Int
        let end: Int

        /// The line as text, for messages and headers.
        var string: String {
            String(decoding: UnsafeRawBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        }

        /// The whole line parsed by a C `strto*` function, or nil unless it consumes every byte.
        func parseNumber<T>(_ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T? {
            var stop: UnsafeMutablePointer<CChar>?
            let value = parse(base + start, &stop)
            guard let stop, UnsafePointer(stop) == base + end else { return nil }
            return value
        }

        /// The line without leading and trailing spaces, tabs and carriage returns.
        func trimmed() -> Line {
            var lo = start, hi = end
            while lo < hi && isBlank(base[lo]) { lo += 1 }
            while hi > lo && isBlank(base[hi - 1]) { hi -= 1 }
            return Line(base: base, start: lo, end: hi)
        }

        private func isBlank(_ byte: CChar) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0D
        }
    }

    /// Calls `body(lineNumber, line)` for each non-blank line of the file at `url` (1-based numbers).
    static func forEachLine(
        of url: URL, _ body: (Int, Line) throws(ScoreFileError) -> Void
    ) throws(ScoreFileError) {
        var bytes = try contents(of: url)
        bytes.append(0)  // the `strto*` parsers stop at the terminator after the last line
        try bytes.withUnsafeBufferPointer { buffer throws(ScoreFileError) in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count - 1
            var lineNumber = 1, start = 0
            while start < count {
                var end = start
                while end < count && base[end] != 0x0A { end += 1 }
                let line = Line(base: base, start: start, end: end).trimmed()
                if line.start < line.end { try body(lineNumber, line) }
                lineNumber += 1
                start = end + 1
            }
        }
    }

    private static func contents(of url: URL) throws(ScoreFileError) -> [CChar] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ScoreFileError.missing(path: url.path)
        }
        let data = try ReadableFile.contents(of: url) { ScoreFileError.unreadable(path: url.path, reason: $0) }
        return data.withUnsafeBytes { Array($0.bindMemory(to: CChar.self)) }
    }
}
