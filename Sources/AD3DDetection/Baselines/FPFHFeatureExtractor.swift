import AD3DPointCloud
import Foundation

/// FPFH settings for the memory-bank baselines, all lengths in voxels: Real3D-AD's BTF settings
/// (normals within 2 voxels, at most 30; FPFH within 5 voxels, at most 100), with the voxel scaled
/// to the part as a fraction of the training scans' mean bounding-box diagonal.
public struct FPFHConfiguration: Codable, Sendable, Equatable {
    /// Voxel edge as a fraction of the mean bounding-box diagonal of the training scans.
    public var voxelFraction: Float = 1.0 / 150
    /// Normal neighbourhood radius, in voxels.
    public var normalRadiusVoxels: Float = 2
    /// Most neighbours for a normal.
    public var normalMaxNeighbors: Int = 30
    /// FPFH neighbourhood radius, in voxels.
    public var featureRadiusVoxels: Float = 5
    /// Most neighbours for a feature.
    public var featureMaxNeighbors: Int = 100

    /// The defaults above.
    public init() {}

    /// Throws `BaselineError.invalidParameter` for a setting that cannot work.
    public func validate() throws {
        for (name, value) in [
            ("voxelFraction", voxelFraction), ("normalRadiusVoxels", normalRadiusVoxels),
            ("featureRadiusVoxels", featureRadiusVoxels),
        ] where !(value.isFinite && value > 0 && value <= 1000) {
            throw BaselineError.invalidParameter(name: name, value: "\(value)", requirement: "finite, > 0 and <= 1000")
        }
        guard (3...10_000).contains(normalMaxNeighbors) else {
            throw BaselineError.invalidParameter(
                name: "normalMaxNeighbors", value: "\(normalMaxNeighbors)", requirement: "in 3...10000")
        }
        guard (2...10_000).contains(featureMaxNeighbors) else {
            throw BaselineError.invalidParameter(
                name: "featureMaxNeighbors", value: "\(featureMaxNeighbors)", requirement: "in 2...10000")
        }
    }
}

/// BTF's settings are exactly the FPFH settings.
public typealias BTFConfiguration = FPFHConfiguration

/// Per-point FPFH on a voxel-downsampled scan, as in BTF (Horwitz & Hoshen, CVPR 2023) and its
/// Real3D-AD port: Open3D-style voxel downsampling, Open3D-style normals, Open3D-style FPFH.
public struct FPFHFeatureExtractor: PatchFeatureExtractor, Codable, Equatable {
    /// Written in checkpoints.
    public static let kind = "fpfh"

    /// Settings in voxels.
    public var configuration: FPFHConfiguration
    /// Voxel edge in scan units.
    public var voxelSize: Float

    /// An extractor with a fixed voxel size; throws on invalid settings.
    public init(configuration: FPFHConfiguration, voxelSize: Float) throws {
        try configuration.validate()
        guard voxelSize.isFinite, voxelSize >= Float.leastNormalMagnitude, voxelSize <= 1e13 else {
            throw BaselineError.invalidParameter(name: "voxelSize", value: "\(voxelSize)", requirement: "positive and <= 1e13")
        }
        self.configuration = configuration
        self.voxelSize = voxelSize
    }

    /// An extractor whose voxel is `configuration.voxelFraction` of the mean bounding-box diagonal of `scans`.
    public init(fittedTo scans: [PointCloud], configuration: FPFHConfiguration) throws {
        try self.init(configuration: configuration, voxelSize: configuration.voxelFraction * Self.meanDiagonal(of: scans))
    }

    /// The mean bounding-box diagonal of `scans`; throws for no scans, an empty scan or zero extent.
    public static func meanDiagonal(of scans: [PointCloud]) throws -> Float {
        guard !scans.isEmpty else { throw BaselineError.noTrainingScans }
        var total = 0.0
        for (i, scan) in scans.enumerated() {
            guard let box = scan.boundingBox else { throw BaselineError.emptyScan(scan: "training scan \(i + 1)") }
            let extent = SIMD3<Double>(box.max) - SIMD3<Double>(box.min)
            total += (extent * extent).sum().squareRoot()
        }
        let mean = Float(total / Double(scans.count))
        guard mean > 0, mean.isFinite else { throw BaselineError.degenerateTrainingScans(count: scans.count) }
        return mean
    }

    /// 33 histogram bins.
    public var featureDimension: Int { FPFH.dimension }

    /// FPFH of every point of the voxel-downsampled `cloud`.
    public func extract(_ cloud: PointCloud) throws -> PatchFeatures {
        let points = try Self.open3DVoxelDownsample(cloud, voxelSize: voxelSize)
        let tree = try KDTree(points)
        let normals = try FPFHNormalEstimation(
            radius: configuration.normalRadiusVoxels * voxelSize, maxNeighbors: configuration.normalMaxNeighbors
        ).normals(of: points, tree: tree)
        let features = try FPFH(
            radius: configuration.featureRadiusVoxels * voxelSize, maxNeighbors: configuration.featureMaxNeighbors
        ).features(of: points, normals: normals, tree: tree)
        return PatchFeatures(positions: points, features: features)
    }

    /// The voxel centroids of `cloud` on Open3D's grid (`voxel_down_sample`): cells anchored at
    /// the bounding-box minimum minus half a voxel, rather than at the origin as
    /// `Downsampling.voxelGrid` anchors them, so both tools group the same points.
    public static func open3DVoxelDownsample(_ cloud: PointCloud, voxelSize: Float) throws -> PointCloud {
        guard let box = cloud.boundingBox else { return cloud }
        let origin = SIMD3<Double>(box.min) - Double(voxelSize) / 2
        let shifted = shift(cloud, by: -origin)
        return shift(try Downsampling.voxelGrid(shifted, voxelSize: voxelSize).cloud, by: origin)
    }

    /// `cloud` translated by `offset` (computed in `Double`, labels dropped).
    private static func shift(_ cloud: PointCloud, by offset: SIMD3<Double>) -> PointCloud {
        var coordinates = cloud.coordinates
        for i in coordinates.indices { coordinates[i] = Float(Double(coordinates[i]) + offset[i % 3]) }
        return PointCloud(coordinates: coordinates)
    }

    /// Settings and voxel size as JSON.
    public func saved() throws -> SavedFeatureExtractor {
        SavedFeatureExtractor(kind: Self.kind, configuration: try BaselineCheckpoint.json(self))
    }

    private enum CodingKeys: String, CodingKey { case configuration, voxelSize }

    /// Decodes and validates the settings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            configuration: try container.decode(FPFHConfiguration.self, forKey: .configuration),
            voxelSize: try container.decode(Float.self, forKey: .voxelSize))
    }
}
