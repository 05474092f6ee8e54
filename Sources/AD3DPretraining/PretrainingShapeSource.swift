import AD3DPointCloud
import AD3DSupport
import AD3DSynthesis
import Foundation

/// Where pretraining shapes come from: anything that can produce a point cloud of a whole object
/// on demand, deterministically for the generator's state.
public protocol PretrainingShapeSource: Sendable {
    /// A shape sampled to `pointCount` points (in any frame and scale; pretraining normalises it).
    func cloud(pointCount: Int, using generator: inout SeededGenerator) throws -> PointCloud
}

/// The procedural industrial-part generator (primitives, CSG, extrusions, revolutions, built-in
/// parts as bases) is the default pretraining source.
extension ShapeGenerator: PretrainingShapeSource {}

/// Shapes from a folder (searched recursively) of meshes (OFF, OBJ, STL; surface-sampled) and point
/// clouds (PCD, PLY, XYZ, NPY; randomly subsampled, or resampled with repetition when smaller).
public struct ShapeFolder: PretrainingShapeSource {
    /// The shape files, sorted by path.
    public let files: [URL]

    /// The supported files under `directory`; throws if there are none.
    public init(directory: URL) throws {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if PointCloudReader.isSupported(url), (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.append(url)
            }
        }
        guard !found.isEmpty else { throw PretrainingError.emptyShapeFolder(path: directory.path) }
        files = found.sorted { $0.path < $1.path }
    }

    public func cloud(pointCount: Int, using generator: inout SeededGenerator) throws -> PointCloud {
        let url = files[Int(Downsampling.uniform(below: UInt64(files.count), using: &generator))]
        if PointCloudFormat(url: url)?.isMesh == true {
            let mesh = try PointCloudReader.readMesh(url)
            do {
                return PointCloud(points: try SurfaceSampler(mesh: mesh).sample(count: pointCount, using: &generator).positions)
            } catch {
                throw PretrainingError.unusableShape(path: url.path, reason: error.localizedDescription)
            }
        }
        let cloud = try PointCloudReader.read(url).cloud
        guard cloud.count > 0 else { throw PretrainingError.unusableShape(path: url.path, reason: "it has no points") }
        if cloud.count >= pointCount {
            return try Downsampling.random(cloud, count: pointCount, using: &generator)
        }
        return cloud.selecting((0..<pointCount).map { _ in Int(Downsampling.uniform(below: UInt64(cloud.count), using: &generator)) })
    }
}

/// A weighted mixture of sources: each shape comes from one source chosen with probability
/// proportional to its weight.
public struct ShapeMixture: PretrainingShapeSource {
    /// The sources and their (positive) weights.
    public let components: [(source: any PretrainingShapeSource, weight: Double)]

    /// A mixture; throws unless there is at least one source and every weight is positive and finite.
    public init(_ components: [(source: any PretrainingShapeSource, weight: Double)]) throws {
        guard !components.isEmpty else { throw PretrainingError.invalidSetting(name: "shape sources", problem: "none given") }
        for component in components where !(component.weight > 0 && component.weight.isFinite) {
            throw PretrainingError.invalidSetting(name: "shape source weight", problem: "\(component.weight) is not a positive number")
        }
        self.components = components
    }

    public func cloud(pointCount: Int, using generator: inout SeededGenerator) throws -> PointCloud {
        let total = components.reduce(0) { $0 + $1.weight }
        var target = Double(generator.next() >> 11) * 0x1p-53 * total
        for component in components.dropLast() {
            target -= component.weight
            if target < 0 { return try component.source.cloud(pointCount: pointCount, using: &generator) }
        }
        return try components[components.count - 1].source.cloud(pointCount: pointCount, using: &generator)
    }
}
