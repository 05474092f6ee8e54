import Foundation
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DSynthesis

/// Shared helpers for the synthesis, registration and surface template tests.
enum SynthesisFixtures {
    /// A sampler of `part` with proportions from seed 1.
    static func sampler(_ part: ProceduralPart) throws -> SurfaceSampler {
        var generator = SeededGenerator(seed: 1)
        return try SurfaceSampler(mesh: part.mesh(using: &generator))
    }

    /// Good scans (6000 points each) of `part` as `ad3d synth --partial-view` makes them with
    /// `partialView`: `trainCount` training scans and `goodCount` test scans, no defects.
    static func goodScans(
        of part: ProceduralPart, views partialView: PartialViewMode, trainCount: Int, goodCount: Int, seed: UInt64
    ) throws -> (train: [PointCloud], tests: [PointCloud]) {
        var settings = SynthesisSettings()
        settings.trainCount = trainCount
        settings.goodCount = goodCount
        settings.defectsPerKind = 0
        settings.points = 6000...6000
        settings.partialView = partialView
        settings.seed = seed
        let synthesizer = try CategorySynthesizer(source: .part(part), settings: settings)
        let made = try synthesizer.plan.indices.map { (isTraining: synthesizer.plan[$0].isTraining, cloud: try synthesizer.scan($0).cloud) }
        return (made.filter(\.isTraining).map(\.cloud), made.filter { !$0.isTraining }.map(\.cloud))
    }

    /// `count` training scans (6000 points each) of `part` seated in a fixture (`ad3d synth
    /// --partial-view fixture`): single views from one direction turned by up to 10° each.
    static func fixtureViews(of part: ProceduralPart, count: Int, seed: UInt64) throws -> [PointCloud] {
        try goodScans(of: part, views: .fixture, trainCount: count, goodCount: 1, seed: seed).train
    }

    /// 1500 points of the bracket sampled with `seed`; with `bump`, the points within 15% of the
    /// diagonal of the first one pushed out along their normals (up to 5%), labelled 1.
    static func bracketScan(seed: UInt64, bump: Bool) throws -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        let sample = try SynthesisFixtures.sampler(.bracket).sample(count: 1500, using: &generator)
        let diagonal = Self.diagonal(PointCloud(points: sample.positions)), radius = 0.15 * diagonal
        var points = sample.positions, labels = [UInt8](repeating: 0, count: points.count)
        for i in points.indices where bump {
            let offset = points[i] - sample.positions[0], distance = (offset * offset).sum().squareRoot()
            guard distance < radius else { continue }
            points[i] += sample.normals[i] * (0.05 * diagonal * (1 - distance / radius))
            labels[i] = 1
        }
        return PointCloud(points: points, labels: labels)
    }

    /// `bracketScan(seed:bump: false)` with every point within `radius` (a fraction of the diagonal)
    /// of its first point removed; the remaining points within `rim` (also a fraction) labelled 1.
    static func holedBracketScan(seed: UInt64, radius: Float, rim: Float = 0) throws -> PointCloud {
        let clean = try bracketScan(seed: seed, bump: false)
        let size = diagonal(clean), cut = radius * size, band = rim * size
        let kept = (0..<clean.count).map { clean[$0] }.filter { SamplingReference.squaredDistance($0, clean[0]) > cut * cut }
        return PointCloud(points: kept, labels: kept.map { SamplingReference.squaredDistance($0, clean[0]) < band * band ? 1 : 0 })
    }

    /// The bounding-box diagonal of `cloud` (at least one point).
    static func diagonal(_ cloud: PointCloud) -> Float {
        let box = cloud.boundingBox!
        let size = box.max - box.min
        return (size * size).sum().squareRoot()
    }

    /// Signed volume enclosed by a mesh (positive when its triangles face outward).
    static func signedVolume(_ mesh: TriangleMesh) -> Double {
        var total = 0.0
        for t in mesh.triangles {
            let a = SIMD3<Double>(mesh.vertices[Int(t.x)]), b = SIMD3<Double>(mesh.vertices[Int(t.y)])
            let c = SIMD3<Double>(mesh.vertices[Int(t.z)])
            total += (a * SIMD3(b.y * c.z - b.z * c.y, b.z * c.x - b.x * c.z, b.x * c.y - b.y * c.x)).sum() / 6
        }
        return total
    }

    /// Small, fast settings: few scans of a few thousand points.
    static var smallSettings: SynthesisSettings {
        var settings = SynthesisSettings()
        settings.trainCount = 1
        settings.goodCount = 2
        settings.defectsPerKind = 1
        settings.points = 1500...2500
        return settings
    }

    /// Euclidean distance between two points.
    static func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
        let d = a - b
        return (d * d).sum().squareRoot()
    }
}

/// A fresh folder under the system temporary directory, removed when the value goes away.
final class SynthesisTemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ad3d-synthesis-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Every regular file under the folder, by relative path, with its bytes.
    func contents() throws -> [String: Data] {
        var result = [String: Data]()
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = url.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return result
    }
}
