import Foundation
import Testing
import AD3DKit
@testable import AD3DPointCloud
@testable import AD3DDetection

/// The fixture written by Scripts/fixtures/fpfh_reference.py with Open3D 0.20 (`estimate_normals`,
/// `compute_fpfh_feature`, `voxel_down_sample`).
enum Open3DFixture {
    /// fpfh_parameters.json.
    struct Parameters: Decodable {
        var normalRadius: Float
        var normalMaxNeighbors: Int
        var featureRadius: Float
        var featureMaxNeighbors: Int
        var voxelSize: Float
    }

    /// URL of fixture file `name`.`ext`.
    static func url(_ name: String, _ ext: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/baselines")!
    }

    static let parameters = try! JSONDecoder().decode(
        Parameters.self, from: Data(contentsOf: url("fpfh_parameters", "json")))
    static let cloud = PointCloud(coordinates: try! NPYFile.read(url("fpfh_points", "npy")).storage)
    static let normals = try! NPYFile.read(url("fpfh_normals", "npy")).storage
    static let features = try! NPYFile.read(url("fpfh_features", "npy"))
    static let voxels = try! NPYFile.read(url("voxel_points", "npy"))
}

@Suite("Baselines: agreement with Open3D")
struct BaselinesOpen3DTests {
    let fixture = Open3DFixture.self

    @Test("normals equal Open3D's estimate_normals, sign included")
    func normalsMatchOpen3D() throws {
        let tree = try KDTree(fixture.cloud)
        let normals = try FPFHNormalEstimation(
            radius: fixture.parameters.normalRadius, maxNeighbors: fixture.parameters.normalMaxNeighbors
        ).normals(of: fixture.cloud, tree: tree)
        expectClose(normals, fixture.normals, rtol: 0, atol: 1e-5)
    }

    @Test("FPFH from Open3D's normals equals Open3D's compute_fpfh_feature")
    func featuresMatchOpen3D() throws {
        let tree = try KDTree(fixture.cloud)
        let features = try FPFH(
            radius: fixture.parameters.featureRadius, maxNeighbors: fixture.parameters.featureMaxNeighbors
        ).features(of: fixture.cloud, normals: fixture.normals, tree: tree)
        expectClose(features, fixture.features, rtol: 1e-4, atol: 1e-3)
    }

    @Test("normals and FPFH computed end to end equal Open3D's")
    func pipelineMatchesOpen3D() throws {
        let tree = try KDTree(fixture.cloud)
        let normals = try FPFHNormalEstimation(
            radius: fixture.parameters.normalRadius, maxNeighbors: fixture.parameters.normalMaxNeighbors
        ).normals(of: fixture.cloud, tree: tree)
        let features = try FPFH(
            radius: fixture.parameters.featureRadius, maxNeighbors: fixture.parameters.featureMaxNeighbors
        ).features(of: fixture.cloud, normals: normals, tree: tree)
        expectClose(features, fixture.features, rtol: 1e-4, atol: 1e-3)
    }

    @Test("voxel downsampling groups points as Open3D's voxel_down_sample")
    func voxelDownsamplingMatchesOpen3D() throws {
        let points = try FPFHFeatureExtractor.open3DVoxelDownsample(fixture.cloud, voxelSize: fixture.parameters.voxelSize)
        let rows: [[Float]] = (0..<points.count).map { i in [points[i].x, points[i].y, points[i].z] }
        let sorted = rows.sorted { a, b in a.lexicographicallyPrecedes(b) }
        #expect(sorted.count == fixture.voxels.shape[0])
        expectClose(sorted.flatMap { $0 }, fixture.voxels.storage, rtol: 0, atol: 1e-5)
    }
}
