import Foundation

/// A cursor over NUL-terminated text bytes for the ASCII formats: it skips separators,
/// parses numbers in place with `strtof`/`strtod`/`strtoll` (no per-value `String`), and
/// counts lines for error messages. Valid only inside the buffer's `withUnsafe…` scope.
struct TextScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private let commaIsSeparator: Bool
    private let commentByte: UInt8?
    /// Offset of the next unread byte.
    private(set) var position: Int
    /// 1-based line number of `position`.
    private(set) var line = 1

    /// A scanner over `buffer` (which must end with a NUL) starting at byte `start`, which is on
    /// line `line` of the file.
    init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, line: Int = 1, commaIsSeparator: Bool = false,
         commentByte: UInt8? = nil) {
        precondition(buffer.last == 0, "text buffers must be NUL-terminated")
        base = buffer.baseAddress!
        end = buffer.count - 1
        position = min(start, end)
        self.line = line
        self.commaIsSeparator = commaIsSeparator
        self.commentByte = commentByte
    }

    /// Bytes not yet consumed.
    var bytesLeft: Int { end - position }

    /// Whether every byte has been consumed.
    var atEnd: Bool { position >= end }

    private func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || (commaIsSeparator && byte == 0x2C)
    }

    private func isSeparator(_ byte: UInt8) -> Bool { isBlank(byte) || byte == 0x0A || byte == 0 }

    /// Skips spaces, tabs, carriage returns (and commas if enabled) on the current line.
    mutating func skipBlanks() {
        while position < end && isBlank(base[position]) { position += 1 }
    }

    /// Whether only blanks or a comment remain on the current line (skips the blanks).
    mutating func atLineEnd() -> Bool {
        skipBlanks()
        if position >= end { return true }
        let byte = base[position]
        return byte == 0x0A || byte == commentByte
    }

    /// Moves to the start of the next line, discarding the rest of this one.
    mutating func nextLine() {
        while position < end && base[position] != 0x0A { position += 1 }
        if position < end {
            position += 1
            line += 1
        }
    }

    /// Skips whole lines that are blank or comments; returns false at the end of the text.
    mutating func skipEmptyLines() -> Bool {
        while !atEnd {
            if !atLineEnd() { return true }
            nextLine()
        }
        return false
    }

    /// Skips all whitespace (line breaks included) and comments up to the next token;
    /// returns false at the end of the text.
    mutating func skipToToken() -> Bool {
        while !atEnd {
            let byte = base[position]
            if byte == 0x0A {
                position += 1
                line += 1
            } else if byte == commentByte {
                nextLine()
            } else if isBlank(byte) {
                position += 1
            } else {
                return true
            }
        }
        return false
    }

    /// The byte range of the next token on the current line (consumed), or nil at line end.
    mutating func token() -> Range<Int>? {
        if atLineEnd() { return nil }
        let start = position
        while position < end && !isSeparator(base[position]) { position += 1 }
        return start..<position
    }

    /// Whether the bytes in `range` spell `word` exactly.
    func bytes(_ range: Range<Int>, equal word: [UInt8]) -> Bool {
        guard range.count == word.count else { return false }
        for (offset, byte) in word.enumerated() where base[range.lowerBound + offset] != byte { return false }
        return true
    }

    /// The text of `range`, for messages and headers.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// Parses a `Float` token on the current line; nil (position unchanged) if there is none.
    mutating func float() -> Float? {
        parse { pointer, endPointer in strtof(pointer, endPointer) }
    }

    /// Parses a `Double` token on the current line; nil (position unchanged) if there is none.
    mutating func double() -> Double? {
        parse { pointer, endPointer in strtod(pointer, endPointer) }
    }

    /// Parses a decimal integer; it may be followed by `terminator` (e.g. `/` in OBJ faces).
    mutating func integer(terminator: UInt8? = nil) -> Int? {
        parse(terminator: terminator) { pointer, endPointer in Int(strtoll(pointer, endPointer, 10)) }
    }

    private mutating func parse<T>(
        terminator: UInt8? = nil,
        _ convert: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
    ) -> T? {
        // strtof & co. would skip line breaks on their own; numbers must stay on this line.
        if atLineEnd() { return nil }
        let start = UnsafeRawPointer(base + position).assumingMemoryBound(to: CChar.self)
        var stop: UnsafeMutablePointer<CChar>? = nil
        let value = convert(start, &stop)
        guard let stop else { return nil }
        let consumed = UnsafeRawPointer(stop) - UnsafeRawPointer(start)
        guard consumed > 0, position + consumed <= end else { return nil }
        let next = base[position + consumed]
        guard isSeparator(next) || next == terminator || next == commentByte else { return nil }
        position += consumed
        return value
    }

    /// Skips the rest of a token (after a partial parse such as `12/5/3`).
    mutating func skipTokenRest() {
        while position < end && !isSeparator(base[position]) { position += 1 }
    }
}
