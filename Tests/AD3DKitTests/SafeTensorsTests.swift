import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor

/// safetensors: round trips, a file written by the reference Python package, half-precision
/// rounding against NumPy, and every malformed-header case.
@Suite struct SafeTensorsTests {
    private static let directory = "pointmae/safetensors"

    private func temporaryURL(_ name: String = "t.safetensors") -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("ad3d-safetensors-\(UUID().uuidString)")
            .appendingPathComponent(name)
    }

    private func fixtureURL(_ name: String, _ ext: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: Self.directory))
    }

    @Test(arguments: SafeTensorsStorage.allCases)
    func roundTrip(_ storage: SafeTensorsStorage) throws {
        var generator = SeededGenerator(seed: 3)
        let tensors: [String: Tensor] = [
            "b.weight": Tensor(shape: [3, 5], storage: (0..<15).map { _ in generator.nextGaussian() }),
            "a.bias": Tensor(shape: [5], storage: [0, -1, 0.5, 2048, -0.25]),
            "scalar": Tensor(shape: [], storage: [7]),
            "empty": Tensor(shape: [0, 4], storage: []),
        ]
        let metadata = ["format": "test", "path/with \"quotes\"": "ünïcode"]
        let url = temporaryURL()
        try SafeTensors.write(tensors, metadata: metadata, to: url, storage: storage)
        let file = try SafeTensors.read(url)
        #expect(file.metadata == metadata)
        #expect(Set(file.tensors.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            let read = try #require(file.tensors[name])
            let expected = storage == .float32
                ? tensor.storage : tensor.storage.map { HalfPrecision.float(fromHalf: HalfPrecision.half(from: $0)) }
            #expect(read.shape == tensor.shape)
            #expect(read.storage == expected)
        }
        let bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        #expect(headerLength % 8 == 0)
        // Data follows in name order.
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        let positions = ["a.bias", "b.weight", "empty", "scalar"].map { header.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(header.contains("\"data_offsets\":[0,\(5 * (storage == .float32 ? 4 : 2))]"))
    }

    @Test func readsFileWrittenByPythonPackage() throws {
        let file = try SafeTensors.read(fixtureURL("mixed", "safetensors"))
        let expected = try JSONDecoder().decode(PythonFixture.self, from: Data(contentsOf: fixtureURL("mixed", "json")))
        #expect(file.metadata == expected.metadata)
        #expect(Set(file.tensors.keys) == Set(expected.tensors.keys))
        for (name, reference) in expected.tensors {
            let tensor = try #require(file.tensors[name])
            #expect(tensor.shape == reference.shape, "\(name)")
            #expect(tensor.storage.map(\.bitPattern) == reference.float32Bits, "\(name)")
        }
    }

    @Test func halfRoundingMatchesNumPy() throws {
        let data = try Data(contentsOf: fixtureURL("half_rounding", "json"))
        let pairs = try JSONDecoder().decode([String: [[UInt32]]].self, from: data)["float32_bits_to_float16_bits"]!
        #expect(pairs.count > 200)
        for pair in pairs {
            #expect(HalfPrecision.half(from: Float(bitPattern: pair[0])) == UInt16(pair[1]), "float bits \(pair[0])")
        }
    }

    @Test func everyHalfSurvivesAFloatRoundTrip() {
        for bits in 0...UInt16.max {
            let value = HalfPrecision.float(fromHalf: bits)
            if value.isNaN {
                #expect(HalfPrecision.half(from: value) & 0x7C00 == 0x7C00)
                #expect(HalfPrecision.half(from: value) & 0x3FF != 0)
            } else {
                #expect(HalfPrecision.half(from: value) == bits)
            }
        }
    }

    /// A file made of `headerLength` (as written), `header` and `data`.
    private func rawFile(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) throws -> URL {
        let json = [UInt8](header.utf8)
        let length = headerLength ?? UInt64(json.count)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + json + data
        let url = temporaryURL()
        try AtomicFileWriter.write(Data(bytes), to: url)
        return url
    }

    private func expectError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation, _ match: (SafeTensorsError) -> Bool) {
        do {
            _ = try SafeTensors.read(url)
            Issue.record("read succeeded", sourceLocation: sourceLocation)
        } catch let error as SafeTensorsError {
            #expect(match(error), "\(error)", sourceLocation: sourceLocation)
            #expect(error.localizedDescription.contains(url.path), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func rejectsMalformedFiles() throws {
        let short = temporaryURL()
        try AtomicFileWriter.write(Data([1, 2, 3]), to: short)
        expectError(short) { if case .missingHeaderLength = $0 { true } else { false } }

        expectError(try rawFile(header: "{}", headerLength: UInt64.max)) {
            if case .headerLengthOutOfRange = $0 { true } else { false }
        }
        expectError(try rawFile(header: "{}", headerLength: 1 << 40)) {
            if case .headerLengthOutOfRange = $0 { true } else { false }
        }
        expectError(try rawFile(header: "{\"a\": ")) { if case .invalidHeader = $0 { true } else { false } }
        expectError(try rawFile(header: "[1, 2]")) { if case .invalidHeader = $0 { true } else { false } }
        expectError(try rawFile(header: #"{"__metadata__": {"a": 1}}"#)) { if case .invalidHeader = $0 { true } else { false } }
        expectError(try rawFile(header: #"{"a": {"dtype": "F32", "shape": [1]}}"#)) {
            if case .invalidHeader = $0 { true } else { false }
        }
        expectError(try rawFile(header: #"{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])) {
            if case .invalidHeader = $0 { true } else { false }
        }
        expectError(try rawFile(header: #"{"a": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}"#, data: .init(repeating: 0, count: 8))) {
            $0 == .unsupportedDataType(path: $0.path, tensor: "a", dtype: "I64")
        }
        expectError(try rawFile(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}"#, data: .init(repeating: 0, count: 8))) {
            if case .invalidOffsets(_, "a", _) = $0 { true } else { false }
        }
        expectError(try rawFile(header: #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#, data: .init(repeating: 0, count: 8))) {
            if case .invalidOffsets(_, "a", _) = $0 { true } else { false }
        }
        expectError(try rawFile(
            header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#,
            data: .init(repeating: 0, count: 8))) {
            if case .invalidOffsets(_, "b", _) = $0 { true } else { false }
        }
        expectError(try rawFile(
            header: #"{"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 0]}}"#)) {
            if case .invalidOffsets(_, "a", _) = $0 { true } else { false }
        }
        expectError(try rawFile(header: #"{"a": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}}"#, data: .init(repeating: 0, count: 9))) {
            $0 == .truncatedData(path: $0.path, tensor: "a", end: 16, available: 9)
        }
        let missing = temporaryURL("absent.safetensors")
        expectError(missing) { if case .cannotRead = $0 { true } else { false } }
    }

    private struct PythonFixture: Decodable {
        struct Entry: Decodable {
            var shape: [Int]
            var float32Bits: [UInt32]

            enum CodingKeys: String, CodingKey {
                case shape
                case float32Bits = "float32_bits"
            }
        }
        var metadata: [String: String]
        var tensors: [String: Entry]
    }
}

extension SafeTensorsError {
    /// The file named by the error.
    fileprivate var path: String {
        switch self {
        case .cannotRead(let path, _), .missingHeaderLength(let path, _), .headerLengthOutOfRange(let path, _, _),
             .invalidHeader(let path, _), .unsupportedDataType(let path, _, _), .invalidOffsets(let path, _, _),
             .truncatedData(let path, _, _, _):
            return path
        }
    }
}
