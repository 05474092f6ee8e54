import CZlib
import Foundation

/// Writes `RasterImage`s as PNG files (8-bit RGB, no interlace), compressed by zlib.
public enum PNGEncoder {
    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of `image`: signature, IHDR, one IDAT (every row with filter type 0, deflated
    /// by zlib's `compress2`), IEND, each chunk with zlib's CRC-32.
    public static func encode(_ image: RasterImage) -> Data {
        var header = [UInt8]()
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
        header += [8, 2, 0, 0, 0]

        let rowBytes = 3 * image.width
        var filtered = [UInt8]()
        filtered.reserveCapacity((rowBytes + 1) * image.height)
        for row in 0..<image.height {
            filtered.append(0)
            filtered += image.bytes[(row * rowBytes)..<((row + 1) * rowBytes)]
        }

        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", deflate(filtered), to: &file)
        appendChunk("IEND", [], to: &file)
        return Data(file)
    }

    /// `bytes` as a zlib stream (RFC 1950) at the best compression level.
    private static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), Z_BEST_COMPRESSION)
            }
        }
        // compressBound guarantees room, so only memory exhaustion can fail here.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        return Array(output.prefix(Int(capacity)))
    }

    /// Appends a chunk: length, type, data, CRC-32 of type and data.
    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeAndData = Array(type.utf8) + data
        appendBigEndian(UInt32(data.count), to: &file)
        file += typeAndData
        let crc = typeAndData.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        appendBigEndian(UInt32(crc), to: &file)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
