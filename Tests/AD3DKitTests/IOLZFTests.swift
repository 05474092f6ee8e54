import Testing
import AD3DKit
@testable import AD3DPointCloud

/// The LZF decoder on hand-assembled streams (format: liblzf's lzf_d.c description).
@Suite struct IOLZFTests {
    @Test func decodesLiteralsShortAndLongMatches() throws {
        // "abc" literal, then a 4-byte match at distance 3 ("abca"), then a 2+7+3 = 12-byte
        // overlapping match at distance 1 (twelve copies of the last 'a').
        let stream: [UInt8] = [2, 97, 98, 99, (2 << 5) | 0, 2, (7 << 5) | 0, 3, 0]
        let expected = Array("abcabca".utf8) + Array(repeating: 97, count: 12)
        #expect(try LZF.decompress(stream, outputSize: expected.count) == expected)
    }

    @Test func rejectsCorruptStreams() {
        let cases: [([UInt8], Int, LZF.DecodingError)] = [
            ([0, 120, (1 << 5) | 0, 5], 10, .backReferenceBeforeStart(inputOffset: 2, distance: 6, outputOffset: 1)),
            ([2, 1, 2, 3, (1 << 5) | 0, 0], 4, .outputOverrun(inputOffset: 4, outputSize: 4)),
            ([5, 1, 2], 6, .truncatedInput(inputOffset: 0)),
            ([0, 1, (7 << 5) | 0], 50, .truncatedInput(inputOffset: 2)),
            ([1, 1, 2], 5, .sizeMismatch(expected: 5, decoded: 2)),
        ]
        for (stream, size, expected) in cases {
            #expect(throws: expected) { try LZF.decompress(stream, outputSize: size) }
        }
    }

    @Test func emptyStreamDecodesToNothing() throws {
        #expect(try LZF.decompress([UInt8](), outputSize: 0) == [])
    }
}
