import CZlib
import Foundation
import Testing
import AD3DKit

/// PNG files decoded by a reader written here (chunk parsing, a bitwise CRC-32, zlib's
/// `uncompress`), independent of the encoder, and a committed file that
/// `Scripts/fixtures/png_reference.py` decodes with Python's zlib and struct.
@Suite struct ReportPNGTests {
    /// A decoded 8-bit RGB PNG.
    private struct DecodedPNG {
        var width = 0, height = 0
        var pixels = [SIMD3<UInt8>]()
        var chunkTypes = [String]()
    }

    /// CRC-32 (ISO-HDLC, as PNG uses) bit by bit from its definition.
    private func bitwiseCRC32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Decodes `data`, recording an issue for every deviation from the PNG specification.
    private func decode(_ data: Data) throws -> DecodedPNG {
        let bytes = [UInt8](data)
        #expect(Array(bytes.prefix(8)) == [137, 80, 78, 71, 13, 10, 26, 10])
        var png = DecodedPNG(), compressed = [UInt8](), offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bigEndian(bytes, at: offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            #expect(bigEndian(bytes, at: offset + 8 + length) == bitwiseCRC32(bytes[(offset + 4)..<(offset + 8 + length)]), "CRC of \(type)")
            png.chunkTypes.append(type)
            switch type {
            case "IHDR":
                png.width = Int(bigEndian(body, at: 0))
                png.height = Int(bigEndian(body, at: 4))
                #expect(Array(body[8...]) == [8, 2, 0, 0, 0])  // 8-bit RGB, deflate, no interlace
            case "IDAT": compressed += body
            default: break
            }
            offset += 12 + length
        }
        #expect(offset == bytes.count)
        let rowBytes = 1 + 3 * png.width
        var raw = [UInt8](repeating: 0, count: rowBytes * png.height)
        var rawLength = uLong(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &rawLength, $0.baseAddress, uLong($0.count)) }
        }
        try #require(status == Z_OK && Int(rawLength) == raw.count)
        for row in 0..<png.height {
            #expect(raw[row * rowBytes] == 0, "filter type of row \(row)")
            for x in 0..<png.width {
                let at = row * rowBytes + 1 + 3 * x
                png.pixels.append(SIMD3(raw[at], raw[at + 1], raw[at + 2]))
            }
        }
        return png
    }

    /// The image of the committed fixture: 7 × 5, pixel (x, y) = (40x, 60y, 255 − 20(x + y)).
    private static func gradient() -> RasterImage {
        var image = RasterImage(width: 7, height: 5)
        for y in 0..<5 { for x in 0..<7 { image[x, y] = SIMD3(UInt8(40 * x), UInt8(60 * y), UInt8(255 - 20 * (x + y))) } }
        return image
    }

    @Test func encodedImageDecodesToItsPixels() throws {
        let image = Self.gradient()
        let png = try decode(PNGEncoder.encode(image))
        #expect(png.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect((png.width, png.height) == (7, 5))
        #expect(png.pixels == (0..<35).map { image[$0] })
    }

    @Test func tinyRenderDecodesToItsPixels() throws {
        // One red point in the middle of a white 4 × 4 render, drawn as a single pixel.
        let projection = OrthographicProjection(
            view: ViewDirection(name: "top", towardsViewer: SIMD3(0, 0, 1), upHint: SIMD3(0, 1, 0)),
            center: .zero, pixelsPerUnit: 1, width: 4, height: 4)
        let image = PointSplatRenderer(splatRadius: 0, depthShading: false)
            .render([SIMD3(0.5, -0.5, 0)], colors: [SIMD3(255, 0, 0)], projection: projection)
        let png = try decode(PNGEncoder.encode(image))
        var expected = [SIMD3<UInt8>](repeating: SIMD3(255, 255, 255), count: 16)
        expected[2 * 4 + 2] = SIMD3(255, 0, 0)
        #expect(png.pixels == expected)
    }

    @Test func committedFixtureDecodesToTheGradient() throws {
        let url = try #require(Bundle.module.url(forResource: "gradient", withExtension: "png", subdirectory: "Resources/report"))
        let png = try decode(Data(contentsOf: url))
        let image = Self.gradient()
        #expect(png.pixels == (0..<35).map { image[$0] })
    }
}
