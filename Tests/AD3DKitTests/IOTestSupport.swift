import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud

/// Fixture files written by Scripts/fixtures/make_io_fixtures.py and their expected content.
enum IOFixtures {
    /// One entry of expected.json.
    struct Expected: Decodable {
        var points: [[Double]]?
        var labels: [UInt8]?
        var encoding: String?
        var fields: [String]?
        var vertices: [[Double]]?
        var triangles: [[Int32]]?
        var shape: [Int]?
        var values: [Double]?
    }

    /// URL of fixture `name`.
    static func url(_ name: String) -> URL {
        let dot = name.lastIndex(of: ".")!
        return Bundle.module.url(
            forResource: String(name[..<dot]), withExtension: String(name[name.index(after: dot)...]),
            subdirectory: "Resources/io")!
    }

    /// Everything in expected.json, by file name.
    static let expected: [String: Expected] = {
        let data = try! Data(contentsOf: url("expected.json"))
        return try! JSONDecoder().decode([String: Expected].self, from: data)
    }()

    /// Names of the point-cloud fixtures (those with expected points).
    static let pointFixtures: [String] = expected.filter { $0.value.points != nil }.map(\.key).sorted()
    /// Names of the mesh fixtures.
    static let meshFixtures: [String] = expected.filter { $0.value.vertices != nil }.map(\.key).sorted()
}

/// Flattens `[[x, y, z]]` into Float coordinates.
func flatFloats(_ rows: [[Double]]) -> [Float] { rows.flatMap { $0.map(Float.init) } }

/// A fresh empty directory for one test.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-io-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The case name of an error (e.g. "truncatedData"), for checking which case was thrown.
func caseName(_ error: PointCloudIOError) -> String {
    Mirror(reflecting: error).children.first?.label ?? "\(error)"
}

/// A small deterministic cloud with awkward values (tiny, the largest magnitude readers accept,
/// negative zero, many digits).
func awkwardCloud(count: Int = 257, seed: UInt64 = 3) -> PointCloud {
    var generator = SeededGenerator(seed: seed)
    var coordinates = (0..<(3 * count)).map { _ in (generator.nextUnitFloat() - 0.5) * 2_000 }
    coordinates[0] = 1e-30
    coordinates[1] = -0.0
    coordinates[2] = -maximumCoordinateMagnitude
    coordinates[3] = 0.1
    coordinates[4] = -123_456.79
    coordinates[5] = .leastNonzeroMagnitude
    return PointCloud(coordinates: coordinates)
}
