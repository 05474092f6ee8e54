import AD3DSupport
import Foundation

/// The content of a safetensors file: named tensors (converted to `Float`) and string metadata.
public struct SafeTensorsFile: Sendable, Equatable {
    /// Tensors by name.
    public var tensors: [String: Tensor]
    /// The `__metadata__` map (empty when the file has none).
    public var metadata: [String: String]

    /// A file content from its parts.
    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// The element type written to a safetensors file.
public enum SafeTensorsStorage: String, Sendable, CaseIterable {
    /// IEEE binary32 (`F32`), lossless.
    case float32 = "F32"
    /// IEEE binary16 (`F16`), rounded to nearest even; half the size, ~3 significant digits.
    case float16 = "F16"
}

/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length N,
/// N bytes of UTF-8 JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`
/// (offsets relative to the data section that follows the header), then raw little-endian data.
public enum SafeTensors {
    /// Largest header accepted, as in the reference implementation (100 MB), so a corrupt length
    /// can never trigger a huge allocation.
    static let maximumHeaderLength = 100_000_000
    static let metadataKey = "__metadata__"

    /// Reads every tensor of the file at `url`, converting F32, F16, BF16 and F64 data to `Float`.
    public static func read(_ url: URL) throws -> SafeTensorsFile {
        let data = try ReadableFile.contents(of: url) { SafeTensorsError.cannotRead(path: url.path, reason: $0) }
        return try data.withUnsafeBytes { try decode(UnsafeRawBufferPointer($0), path: url.path) }
    }

    /// Parses safetensors content already in memory; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> SafeTensorsFile {
        try bytes.withUnsafeBytes { try decode($0, path: path) }
    }

    /// Writes `tensors` and `metadata` to `url` atomically, tensors sorted by name and stored as
    /// `storage`, the header padded with spaces to a multiple of 8 bytes so that the data is aligned.
    public static func write(
        _ tensors: [String: Tensor], metadata: [String: String], to url: URL, storage: SafeTensorsStorage = .float32
    ) throws {
        precondition(tensors[metadataKey] == nil, "'\(metadataKey)' is reserved and cannot name a tensor")
        let names = tensors.keys.sorted()
        let elementSize = storage == .float32 ? 4 : 2
        var entries: [String: SafeTensorsHeader.Entry] = [:]
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let size = tensor.count * elementSize
            entries[name] = .init(dtype: storage.rawValue, shape: tensor.shape, dataOffsets: [offset, offset + size])
            offset += size
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var header = [UInt8](try encoder.encode(SafeTensorsHeader(tensors: entries, metadata: metadata)))
        header.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        try AtomicFileWriter.write(to: url) { handle in
            var prefix = Data(littleEndianBytes(UInt64(header.count)))
            prefix.append(contentsOf: header)
            try handle.write(contentsOf: prefix)
            for name in names {
                try handle.write(contentsOf: encodeData(tensors[name]!.storage, as: storage))
            }
        }
    }

    /// Parses a whole file held in `bytes`.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> SafeTensorsFile {
        guard bytes.count >= 8 else { throw SafeTensorsError.missingHeaderLength(path: path, fileSize: bytes.count) }
        let headerLength = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        let available = bytes.count - 8
        guard headerLength <= UInt64(min(available, maximumHeaderLength)) else {
            throw SafeTensorsError.headerLengthOutOfRange(path: path, headerLength: headerLength, available: available)
        }
        let dataStart = 8 + Int(headerLength)
        let header: SafeTensorsHeader
        do {
            header = try JSONDecoder().decode(SafeTensorsHeader.self, from: Data(bytes[8..<dataStart]))
        } catch let error as SafeTensorsHeader.Problem {
            throw SafeTensorsError.invalidHeader(path: path, problem: error.description)
        } catch {
            throw SafeTensorsError.invalidHeader(path: path, problem: "not valid JSON (\(describe(error)))")
        }
        let dataSize = bytes.count - dataStart
        let layouts = try header.tensors.map { name, entry in
            (name, try layout(of: entry, name: name, dataSize: dataSize, path: path))
        }.sorted { ($0.1.range.lowerBound, $0.0) < ($1.1.range.lowerBound, $1.0) }
        for (previous, next) in zip(layouts, layouts.dropFirst())
        where next.1.range.lowerBound < previous.1.range.upperBound {
            throw SafeTensorsError.invalidOffsets(
                path: path, tensor: next.0, problem: "bytes \(next.1.range) overlap tensor '\(previous.0)' at \(previous.1.range)")
        }
        var tensors: [String: Tensor] = [:]
        for (name, layout) in layouts {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[(dataStart + layout.range.lowerBound)..<(dataStart + layout.range.upperBound)])
            tensors[name] = Tensor(shape: layout.shape, storage: decodeData(raw, dtype: layout.dtype))
        }
        return SafeTensorsFile(tensors: tensors, metadata: header.metadata)
    }

    /// A tensor's validated dtype, shape and byte range within a data section of `dataSize` bytes.
    private static func layout(
        of entry: SafeTensorsHeader.Entry, name: String, dataSize: Int, path: String
    ) throws -> (dtype: SafeTensorsDataType, shape: [Int], range: Range<Int>) {
        guard let dtype = SafeTensorsDataType(rawValue: entry.dtype) else {
            throw SafeTensorsError.unsupportedDataType(path: path, tensor: name, dtype: entry.dtype)
        }
        func fail(_ problem: String) -> SafeTensorsError { .invalidOffsets(path: path, tensor: name, problem: problem) }
        guard entry.shape.allSatisfy({ $0 >= 0 }) else {
            throw SafeTensorsError.invalidHeader(path: path, problem: "tensor '\(name)' has a negative extent in shape \(entry.shape)")
        }
        guard entry.dataOffsets.count == 2 else { throw fail("expected [begin, end], got \(entry.dataOffsets)") }
        let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
        guard begin >= 0, begin <= end else { throw fail("[\(begin), \(end)] is not an increasing pair of byte offsets") }
        let count = entry.shape.reduce(Optional(1)) { product, extent in
            product.flatMap { checkedProduct($0, extent) }
        }
        guard let count, let byteCount = checkedProduct(count, dtype.size), byteCount == end - begin else {
            throw fail("\(end - begin) bytes do not hold shape \(entry.shape) of \(dtype.rawValue) (\(dtype.size) bytes each)")
        }
        guard end <= dataSize else {
            throw SafeTensorsError.truncatedData(path: path, tensor: name, end: end, available: dataSize)
        }
        return (dtype, entry.shape, begin..<end)
    }

    /// Little-endian `raw` elements of `dtype` as `Float`s.
    private static func decodeData(_ raw: UnsafeRawBufferPointer, dtype: SafeTensorsDataType) -> [Float] {
        let count = raw.count / dtype.size
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch dtype {
            case .float32:
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            case .float64:
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            case .float16:
                for i in 0..<count {
                    out[i] = HalfPrecision.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bfloat16:
                for i in 0..<count {
                    out[i] = HalfPrecision.float(fromBFloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            }
            initialized = count
        }
    }

    /// `values` as little-endian bytes of `storage`.
    private static func encodeData(_ values: [Float], as storage: SafeTensorsStorage) -> Data {
        let elementSize = storage == .float32 ? 4 : 2
        var data = Data(count: values.count * elementSize)
        data.withUnsafeMutableBytes { out in
            for (i, value) in values.enumerated() {
                switch storage {
                case .float32: out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                case .float16: out.storeBytes(of: HalfPrecision.half(from: value).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            }
        }
        return data
    }

    private static func littleEndianBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        return error.localizedDescription
    }
}

/// The element types this reader converts to `Float`, by their safetensors names.
enum SafeTensorsDataType: String {
    case float32 = "F32", float16 = "F16", bfloat16 = "BF16", float64 = "F64"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .float32: return 4
        case .float16, .bfloat16: return 2
        case .float64: return 8
        }
    }
}
