import AD3DSupport
import Foundation

/// The bytes of one input file, followed by a NUL so that C number parsers always stop.
struct SourceFile {
    /// Where the file came from.
    let url: URL
    /// The path used in error messages.
    var path: String { url.path }
    /// The file content plus one trailing NUL byte.
    let bytes: [UInt8]

    /// Number of content bytes (without the trailing NUL).
    var size: Int { bytes.count - 1 }

    /// Loads the file at `url`.
    init(url: URL) throws {
        let data = try ReadableFile.contents(of: url) { PointCloudIOError.cannotRead(path: url.path, reason: $0) }
        var bytes = [UInt8](repeating: 0, count: data.count + 1)
        bytes.withUnsafeMutableBytes { destination in
            _ = data.copyBytes(to: destination.bindMemory(to: UInt8.self), count: data.count)
        }
        self.init(url: url, terminatedBytes: bytes)
    }

    /// Wraps in-memory content, as if read from `url`.
    init(url: URL, contents: [UInt8]) {
        self.init(url: url, terminatedBytes: contents + [0])
    }

    private init(url: URL, terminatedBytes: [UInt8]) {
        self.url = url
        self.bytes = terminatedBytes
    }

    /// Headers are short; the cap keeps a binary file without a header from being split into text.
    static let headerLimit = 1 << 20

    /// Reads text header lines from the start of the file up to and including the first line
    /// for which `isLast` is true; returns the lines (without line endings) and the offset of
    /// the first byte after that line. Lines are split into whitespace-separated words.
    func headerLines(terminator name: String, isLast: ([Substring]) -> Bool) throws
        -> (lines: [[Substring]], dataOffset: Int)
    {
        var lines = [[Substring]]()
        var start = 0
        while start < size && start < Self.headerLimit {
            var end = start
            while end < size && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            lines.append(words)
            start = end + 1
            if isLast(words) { return (lines, min(start, size)) }
        }
        let problem = start < size
            ? "no '\(name)' line within the first \(Self.headerLimit >> 20) MiB (headers are short: is this the right format?)"
            : "no '\(name)' line ends the header"
        throw PointCloudIOError.invalidHeader(path: path, problem: problem)
    }

    /// Throws unless the bytes from `offset` on are text: a NUL byte means binary data in a text
    /// format (and would stop the number parsers), so it is named with its offset and line.
    func requireText(from offset: Int) throws {
        let start = min(offset, size)
        let found = bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard start < size, let hit = memchr(buffer.baseAddress! + start, 0, size - start) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(buffer.baseAddress!)
        }
        guard let found else { return }
        let line = 1 + bytes[..<found].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        throw PointCloudIOError.invalidValue(
            path: path, line: line, problem: "a NUL byte at byte \(found): binary data in a text file")
    }

    /// The number of bytes from `offset` to the end of the file.
    func bytesAvailable(from offset: Int) -> Int { max(0, size - offset) }
}

/// The largest coordinate magnitude accepted: squared distances between such points still fit a
/// `Float` with room for sums, so every later stage computes with finite numbers.
let maximumCoordinateMagnitude: Float = 1e12

/// Throws for the first point with a NaN or infinite coordinate, or one beyond
/// `maximumCoordinateMagnitude`.
package func requireUsableCoordinates(_ coordinates: [Float], path: String) throws {
    guard let index = PointCloud.firstUnusableCoordinate(in: coordinates, bound: maximumCoordinateMagnitude) else { return }
    if !coordinates[index].isFinite { throw PointCloudIOError.nonFiniteCoordinate(path: path, pointIndex: index / 3) }
    throw PointCloudIOError.coordinateOutOfRange(path: path, pointIndex: index / 3, value: coordinates[index])
}
