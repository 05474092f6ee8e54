import AD3DPointCloud
import AD3DTensor

/// BTF, "Back to the Feature" (Horwitz & Hoshen, CVPR 2023 workshops), as run on Real3D-AD:
/// per-point FPFH of the voxel-downsampled scan; the memory bank holds every training feature;
/// a downsampled point scores the distance from its feature to the nearest bank feature; every
/// original point takes the score of its nearest downsampled point; the object score is the
/// maximum point score.
///
/// Lengths are relative to the part: the voxel is `voxelFraction` of the mean bounding-box
/// diagonal of the training scans, fixed at training time; scans are scored in raw coordinates
/// (FPFH is invariant to rigid motion).
public struct BTFDetector: AnomalyDetector {
    /// Written in model files and given to `ad3d train --method`.
    public static let methodName = "btf"

    /// Downsampling, normals and FPFH with the trained voxel size.
    public let extractor: FPFHFeatureExtractor
    /// Every training feature, `[B, 33]`.
    public let bank: NearestNeighborBank

    /// Settings in voxels.
    public var configuration: BTFConfiguration { extractor.configuration }
    /// Voxel edge in scan units.
    public var voxelSize: Float { extractor.voxelSize }

    /// A detector from its extractor and bank features (`[B, 33]`, B ≥ 1).
    public init(extractor: FPFHFeatureExtractor, bank: Tensor) {
        precondition(bank.rank == 2 && bank.shape[0] >= 1 && bank.shape[1] == FPFH.dimension, "BTF bank must be [B ≥ 1, 33]")
        self.extractor = extractor
        self.bank = NearestNeighborBank(features: bank)
    }

    /// Fits the voxel size to `scans` (good parts, raw coordinates) and stores all their features.
    public static func train(scans: [PointCloud], configuration: BTFConfiguration = BTFConfiguration()) throws -> BTFDetector {
        let extractor = try FPFHFeatureExtractor(fittedTo: scans, configuration: configuration)
        let features = try scans.map { try extractor.extract($0).features }
        return BTFDetector(extractor: extractor, bank: Tensor.concatenate(features, alongAxis: 0))
    }

    /// Point scores (nearest-bank distance of the nearest downsampled point) and their maximum.
    public func score(_ cloud: PointCloud) throws -> AnomalyScores {
        guard !cloud.isEmpty else { throw BaselineError.emptyScan(scan: "the scan to score") }
        let patches = try extractor.extract(cloud)
        let nearest = try bank.nearest(to: patches.features, k: 1)
        let points = try patches.propagate(nearest.distances, to: cloud)
        return AnomalyScores(pointScores: points, objectScore: points.max() ?? 0)
    }

    /// The extractor settings as JSON and the bank under `bank.features`.
    public func checkpoint() throws -> ModelCheckpoint {
        ModelCheckpoint(
            method: Self.methodName, configuration: try BaselineCheckpoint.json(extractor),
            tensors: [BaselineCheckpoint.bankName: bank.features])
    }

    /// Rebuilds a detector from `checkpoint()`'s output, validating settings and bank shape.
    public init(checkpoint: ModelCheckpoint) throws {
        try BaselineCheckpoint.requireContents(checkpoint, method: Self.methodName, tensors: [BaselineCheckpoint.bankName])
        let extractor = try BaselineCheckpoint.decode(
            FPFHFeatureExtractor.self, from: checkpoint.configuration, method: Self.methodName)
        let bank = try BaselineCheckpoint.bank(in: checkpoint, method: Self.methodName, columns: FPFH.dimension)
        self.init(extractor: extractor, bank: bank)
    }
}
