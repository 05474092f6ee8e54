/// Decompression of LZF streams (Marc Lehmann's liblzf format), as used by PCD
/// `binary_compressed` data.
///
/// A stream is a sequence of chunks, each starting with a control byte `c`:
/// `c < 32` is a literal run of `c + 1` bytes that follow; otherwise `c >> 5` is a match length
/// (7 means "add the next byte"), the match copies `length + 2` bytes starting
/// `((c & 31) << 8 | nextByte) + 1` bytes back in the output.
public enum LZF {
    /// What is wrong with a corrupt stream.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// The stream ends in the middle of a chunk.
        case truncatedInput(inputOffset: Int)
        /// A chunk would write past the announced output size.
        case outputOverrun(inputOffset: Int, outputSize: Int)
        /// A back-reference points before the start of the output.
        case backReferenceBeforeStart(inputOffset: Int, distance: Int, outputOffset: Int)
        /// The stream decodes to fewer bytes than announced.
        case sizeMismatch(expected: Int, decoded: Int)

        /// What went wrong, in words.
        public var description: String {
            switch self {
            case .truncatedInput(let offset):
                return "stream ends inside the chunk at byte \(offset)"
            case .outputOverrun(let offset, let size):
                return "chunk at byte \(offset) writes past the announced \(size) bytes"
            case .backReferenceBeforeStart(let offset, let distance, let output):
                return "back-reference at byte \(offset) reaches \(distance) bytes back from output position \(output)"
            case .sizeMismatch(let expected, let decoded):
                return "stream decodes to \(decoded) bytes instead of the announced \(expected)"
            }
        }
    }

    /// Decompresses `input`, which must decode to exactly `outputSize` bytes; throws `DecodingError`.
    public static func decompress(_ input: UnsafeRawBufferPointer, outputSize: Int) throws -> [UInt8] {
        precondition(outputSize >= 0, "output size must be non-negative")
        var output = [UInt8](repeating: 0, count: outputSize)
        let decoded = try output.withUnsafeMutableBufferPointer { out throws -> Int in
            try decode(input, into: out)
        }
        guard decoded == outputSize else { throw DecodingError.sizeMismatch(expected: outputSize, decoded: decoded) }
        return output
    }

    /// Decompresses `input` (a byte array) to exactly `outputSize` bytes.
    public static func decompress(_ input: [UInt8], outputSize: Int) throws -> [UInt8] {
        try input.withUnsafeBytes { bytes throws -> [UInt8] in
            try decompress(bytes, outputSize: outputSize)
        }
    }

    private static func decode(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>)
        throws -> Int
    {
        var ip = 0, op = 0
        let inputEnd = input.count, outputEnd = out.count
        while ip < inputEnd {
            let chunkStart = ip
            let control = Int(input[ip])
            ip += 1
            if control < 32 {
                let length = control + 1
                guard ip + length <= inputEnd else { throw DecodingError.truncatedInput(inputOffset: chunkStart) }
                guard op + length <= outputEnd else { throw DecodingError.outputOverrun(inputOffset: chunkStart, outputSize: outputEnd) }
                for k in 0..<length { out[op + k] = input[ip + k] }
                ip += length
                op += length
            } else {
                var length = control >> 5
                if length == 7 {
                    guard ip < inputEnd else { throw DecodingError.truncatedInput(inputOffset: chunkStart) }
                    length += Int(input[ip])
                    ip += 1
                }
                length += 2
                guard ip < inputEnd else { throw DecodingError.truncatedInput(inputOffset: chunkStart) }
                let distance = ((control & 0x1F) << 8 | Int(input[ip])) + 1
                ip += 1
                guard distance <= op else {
                    throw DecodingError.backReferenceBeforeStart(inputOffset: chunkStart, distance: distance, outputOffset: op)
                }
                guard op + length <= outputEnd else { throw DecodingError.outputOverrun(inputOffset: chunkStart, outputSize: outputEnd) }
                // Byte by byte on purpose: matches may overlap their own output (run-length style).
                var from = op - distance
                for _ in 0..<length {
                    out[op] = out[from]
                    op += 1
                    from += 1
                }
            }
        }
        return op
    }
}
