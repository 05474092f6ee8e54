import AD3DSupport
import AD3DTensor
import Foundation

/// NumPy `.npy` arrays (format versions 1.0–3.0): float32/float64 arrays of any rank in
/// C order are read as `Tensor`s, and tensors are written as little-endian float32, NPY v1.0.
public enum NPYFile {
    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads a float32 or float64 (either byte order) C-order array of any rank as `Float`s.
    public static func read(_ url: URL) throws -> Tensor {
        try decode(SourceFile(url: url)).tensor
    }

    /// Writes `tensor` as a float32 `'<f4'`, C-order, NPY v1.0 file (atomically).
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try AtomicFileWriter.write(Data(encode(tensor)), to: url)
    }

    /// Reads an `[N, C ≥ 3]` array as a point cloud of its first three columns.
    static func readScan(_ file: SourceFile) throws -> ScanFile {
        let (tensor, descr) = try decode(file)
        guard tensor.rank == 2, tensor.shape[1] >= 3 else {
            throw PointCloudIOError.unsupportedLayout(
                path: file.path, problem: "expected an array of shape (N, 3) or (N, ≥3), got \(tensor.shape)")
        }
        let (count, columns) = (tensor.shape[0], tensor.shape[1])
        guard count > 0 else { throw PointCloudIOError.noPoints(path: file.path) }
        var coordinates = [Float](repeating: 0, count: 3 * count)
        tensor.storage.withUnsafeBufferPointer { source in
            for i in 0..<count {
                for axis in 0..<3 { coordinates[3 * i + axis] = source[i * columns + axis] }
            }
        }
        try requireUsableCoordinates(coordinates, path: file.path)
        let fields = ["x", "y", "z"] + (3..<columns).map { "column\($0 + 1)" }
        return ScanFile(url: file.url, format: .npy, encoding: descr, fields: fields, cloud: PointCloud(coordinates: coordinates))
    }

    /// Parses the file: header dictionary, dtype, shape and data.
    private static func decode(_ file: SourceFile) throws -> (tensor: Tensor, descr: String) {
        let path = file.path
        func fail(_ problem: String) -> PointCloudIOError { .invalidHeader(path: path, problem: problem) }
        guard file.size >= 10, file.bytes[0..<6].elementsEqual(magic) else { throw fail("not an NPY file (bad magic)") }
        let major = file.bytes[6]
        let lengthSize: Int
        switch major {
        case 1: lengthSize = 2
        case 2, 3: lengthSize = 4
        default: throw fail("unsupported NPY version \(major).\(file.bytes[7])")
        }
        let headerStart = 8 + lengthSize
        guard file.size >= headerStart else {
            throw fail("version \(major) needs a \(lengthSize)-byte header length, but the file ends after \(file.size) bytes")
        }
        let headerLength = (0..<lengthSize).reduce(0) { $0 | Int(file.bytes[8 + $1]) << (8 * $1) }
        guard headerLength <= file.size - headerStart else {
            throw PointCloudIOError.truncatedData(path: path, expectedBytes: headerLength, availableBytes: file.size - headerStart)
        }
        let dictionary = String(decoding: file.bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = value(of: "descr", in: dictionary)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) else {
            throw fail("no 'descr' in the header")
        }
        let type: ScalarType, bigEndian: Bool
        switch descr {
        case "<f4", "=f4": (type, bigEndian) = (.float32, false)
        case "<f8", "=f8": (type, bigEndian) = (.float64, false)
        case ">f4": (type, bigEndian) = (.float32, true)
        case ">f8": (type, bigEndian) = (.float64, true)
        default:
            throw PointCloudIOError.unsupportedLayout(path: path, problem: "dtype '\(descr)' (only float32 and float64 are read)")
        }
        switch value(of: "fortran_order", in: dictionary) {
        case "False": break
        case "True":
            throw PointCloudIOError.unsupportedLayout(
                path: path, problem: "Fortran-order array; save it with numpy.ascontiguousarray first")
        default: throw fail("missing or invalid 'fortran_order'")
        }
        guard let shapeText = value(of: "shape", in: dictionary), shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw fail("missing or invalid 'shape'")
        }
        let shape = try shapeText.dropFirst().dropLast().split(separator: ",").map { part in
            guard let extent = Int(part.trimmingCharacters(in: .whitespaces)), extent >= 0 else {
                throw fail("invalid shape \(shapeText)")
            }
            return extent
        }
        let dataStart = headerStart + headerLength
        let available = file.size - dataStart
        let count = try shape.reduce(1) { product, extent in
            guard let next = checkedProduct(product, extent) else { throw fail("shape \(shapeText) overflows") }
            return next
        }
        guard let byteCount = checkedProduct(count, type.size), byteCount <= available else {
            throw PointCloudIOError.truncatedData(
                path: path, expectedBytes: checkedProduct(count, type.size) ?? .max, availableBytes: available)
        }
        let storage = file.bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = Float(type.load(raw.baseAddress!, at: dataStart + i * type.size, bigEndian: bigEndian))
                }
                initialized = count
            }
        }
        return (Tensor(shape: shape, storage: storage), descr)
    }

    /// The raw text of `key`'s value in a Python dict literal: a quoted string, a word, or a tuple.
    private static func value(of key: String, in dictionary: String) -> String? {
        guard let keyRange = dictionary.range(of: "'\(key)'") ?? dictionary.range(of: "\"\(key)\"") else { return nil }
        var rest = dictionary[keyRange.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        let end: String.Index?
        switch rest.first {
        case "(": end = rest.firstIndex(of: ")").map { rest.index(after: $0) }
        case "'", "\"": end = rest.dropFirst().firstIndex(of: rest.first!).map { rest.index(after: $0) }
        default: end = rest.firstIndex { $0 == "," || $0 == "}" || $0 == " " }
        }
        guard let end else { return nil }
        return String(rest[..<end])
    }

    /// The bytes of an NPY v1.0 file holding `tensor` as `'<f4'` in C order.
    static func encode(_ tensor: Tensor) -> [UInt8] {
        let shape = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(\(tensor.shape.map(String.init).joined(separator: ", ")))"
        var dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        // numpy pads the header with spaces so the data starts at a multiple of 64 bytes.
        let unpadded = magic.count + 4 + dictionary.utf8.count + 1
        dictionary += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = magic + [1, 0]
        let length = UInt16(dictionary.utf8.count)
        bytes.append(UInt8(length & 0xFF)); bytes.append(UInt8(length >> 8))
        bytes.appendASCII(dictionary)
        bytes.reserveCapacity(bytes.count + 4 * tensor.count)
        for value in tensor.storage { bytes.appendLittleEndian(value) }
        return bytes
    }
}
