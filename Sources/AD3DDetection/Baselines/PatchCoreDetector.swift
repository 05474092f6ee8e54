import AD3DPointCloud
import AD3DTensor
import Foundation

/// PatchCore settings (Roth et al., CVPR 2022), defaults as in the paper's code.
public struct PatchCoreConfiguration: Codable, Sendable, Equatable {
    /// FPFH settings, used when the features are FPFH (the default extractor).
    public var fpfh = FPFHConfiguration()
    /// Fraction of the training features kept in the memory bank (1 keeps all).
    public var coresetRatio: Float = 0.1
    /// Random-projection dimension for the coreset's distance computations.
    public var projectionDimension = 128
    /// b, the bank neighbourhood size of the object-score reweighting (1 disables it).
    public var reweightingNeighbors = 3
    /// Seed of the random projection and the coreset's first row.
    public var seed: UInt64 = 0

    /// The defaults above.
    public init() {}

    /// Throws `BaselineError.invalidParameter` for a setting that cannot work.
    public func validate() throws {
        try fpfh.validate()
        guard coresetRatio.isFinite, coresetRatio > 0, coresetRatio <= 1 else {
            throw BaselineError.invalidParameter(name: "coresetRatio", value: "\(coresetRatio)", requirement: "in (0, 1]")
        }
        guard (1...65_536).contains(projectionDimension) else {
            throw BaselineError.invalidParameter(
                name: "projectionDimension", value: "\(projectionDimension)", requirement: "in 1...65536")
        }
        guard (1...10_000).contains(reweightingNeighbors) else {
            throw BaselineError.invalidParameter(
                name: "reweightingNeighbors", value: "\(reweightingNeighbors)", requirement: "in 1...10000")
        }
    }
}

/// PatchCore (Roth et al., "Towards Total Recall in Industrial Anomaly Detection", CVPR 2022) on
/// 3D patch features: a greedy-coreset memory bank of training features, nearest-neighbour
/// patch scores, and the paper's reweighted object score.
///
/// Features come from any `PatchFeatureExtractor` (FPFH on voxel-downsampled points by default;
/// an encoder's patch tokens plug in the same way). Every original point takes the score of its
/// nearest feature position.
public struct PatchCoreDetector: AnomalyDetector {
    /// Written in model files and given to `ad3d train --method`.
    public static let methodName = "patchcore"

    /// Settings.
    public let configuration: PatchCoreConfiguration
    /// Where features come from.
    public let extractor: any PatchFeatureExtractor
    /// The coreset of training features, `[B, C]`.
    public let bank: NearestNeighborBank

    /// A detector from its parts; `bank` is `[B ≥ 1, extractor.featureDimension]`.
    public init(configuration: PatchCoreConfiguration, extractor: any PatchFeatureExtractor, bank: Tensor) {
        precondition(
            bank.rank == 2 && bank.shape[0] >= 1 && bank.shape[1] == extractor.featureDimension,
            "PatchCore bank must be [B ≥ 1, \(extractor.featureDimension)], got \(bank.shape)")
        self.configuration = configuration
        self.extractor = extractor
        self.bank = NearestNeighborBank(features: bank)
    }

    /// Trains on FPFH features, the voxel fitted to `scans` as in BTF.
    public static func train(
        scans: [PointCloud], configuration: PatchCoreConfiguration = PatchCoreConfiguration()
    ) throws -> PatchCoreDetector {
        try configuration.validate()
        let extractor = try FPFHFeatureExtractor(fittedTo: scans, configuration: configuration.fpfh)
        return try train(scans: scans, configuration: configuration, extractor: extractor)
    }

    /// Trains on the features `extractor` gives for `scans`: all training features, then the coreset.
    public static func train(
        scans: [PointCloud], configuration: PatchCoreConfiguration, extractor: any PatchFeatureExtractor
    ) throws -> PatchCoreDetector {
        try configuration.validate()
        guard !scans.isEmpty else { throw BaselineError.noTrainingScans }
        var features = [Tensor]()
        for (i, scan) in scans.enumerated() {
            guard !scan.isEmpty else { throw BaselineError.emptyScan(scan: "training scan \(i + 1)") }
            let patches = try extractor.extract(scan)
            guard patches.features.shape[1] == extractor.featureDimension else {
                throw BaselineError.featureDimensionMismatch(
                    expected: extractor.featureDimension, columns: patches.features.shape[1])
            }
            features.append(patches.features)
        }
        let all = Tensor.concatenate(features, alongAxis: 0)
        let kept = try GreedyCoreset.select(
            all, ratio: configuration.coresetRatio, projectionDimension: configuration.projectionDimension,
            seed: configuration.seed)
        return PatchCoreDetector(configuration: configuration, extractor: extractor, bank: all.gatherRows(kept))
    }

    /// Point scores (nearest-bank distance of the nearest feature position) and the reweighted
    /// maximum patch score.
    public func score(_ cloud: PointCloud) throws -> AnomalyScores {
        guard !cloud.isEmpty else { throw BaselineError.emptyScan(scan: "the scan to score") }
        let patches = try extractor.extract(cloud)
        let nearest = try bank.nearest(to: patches.features, k: 1)
        let points = try patches.propagate(nearest.distances, to: cloud)
        return AnomalyScores(pointScores: points, objectScore: try objectScore(patches.features, nearest))
    }

    /// The paper's Eq. 7: with m_test* the test patch farthest from the bank, m* its nearest bank
    /// feature and s* = ‖m_test* − m*‖, the score is `s = w · s*` where
    /// `w = 1 − exp‖m_test* − m*‖ / Σ_{m ∈ N_b(m*)} exp‖m_test* − m‖` and N_b(m*) are the b
    /// nearest bank features of m* (m* itself included, as in anomalib's `compute_anomaly_score`;
    /// the official patchcore-inspection code leaves the score unweighted). b = 1 gives s*.
    func objectScore(_ features: Tensor, _ nearest: BankNeighbors) throws -> Float {
        var worst = 0
        for i in nearest.distances.indices where nearest.distances[i] > nearest.distances[worst] { worst = i }
        let farthest = nearest.distances[worst]
        let b = min(configuration.reweightingNeighbors, bank.count)
        guard b > 1 else { return farthest }
        let support = try bank.nearest(to: bank.features.gatherRows([Int(nearest.indices[worst])]), k: b)
        let test = features.gatherRows([worst])
        let distances = support.indices.map { j in
            test.storage.withUnsafeBufferPointer { t in
                bank.features.storage.withUnsafeBufferPointer { m in
                    Double(NearestNeighborBank.distance(t, 0, m, Int(j), columns: bank.dimension))
                }
            }
        }
        // Softmax with the largest exponent factored out, so large distances cannot overflow.
        let largest = max(distances.max() ?? 0, Double(farthest))
        let denominator = distances.reduce(0) { $0 + exp($1 - largest) }
        let weight = 1 - exp(Double(farthest) - largest) / denominator
        return Float(weight * Double(farthest))
    }

    /// The settings and the extractor (kind + JSON) as JSON; the bank under `bank.features` and the
    /// extractor's tensors under `extractor.`.
    public func checkpoint() throws -> ModelCheckpoint {
        let saved = try extractor.saved()
        let state = State(configuration: configuration, extractorKind: saved.kind, extractorConfiguration: saved.configuration)
        var tensors = [BaselineCheckpoint.bankName: bank.features]
        for (name, tensor) in saved.tensors { tensors[BaselineCheckpoint.extractorPrefix + name] = tensor }
        return ModelCheckpoint(method: Self.methodName, configuration: try BaselineCheckpoint.json(state), tensors: tensors)
    }

    /// Rebuilds a detector from `checkpoint()`'s output, validating settings and bank shape.
    public init(checkpoint: ModelCheckpoint) throws {
        let method = Self.methodName
        let state = try BaselineCheckpoint.decode(State.self, from: checkpoint.configuration, method: method)
        do {
            try state.configuration.validate()
        } catch let error as BaselineError {
            throw ModelCheckpointError.invalidConfiguration(method: method, reason: error.localizedDescription)
        }
        var extractorTensors = [String: Tensor]()
        for (name, tensor) in checkpoint.tensors where name.hasPrefix(BaselineCheckpoint.extractorPrefix) {
            extractorTensors[String(name.dropFirst(BaselineCheckpoint.extractorPrefix.count))] = tensor
        }
        let expected = Set(extractorTensors.keys.map { BaselineCheckpoint.extractorPrefix + $0 } + [BaselineCheckpoint.bankName])
        try BaselineCheckpoint.requireContents(checkpoint, method: method, tensors: expected)
        let extractor = try Self.loadExtractor(
            SavedFeatureExtractor(kind: state.extractorKind, configuration: state.extractorConfiguration, tensors: extractorTensors))
        let bank = try BaselineCheckpoint.bank(in: checkpoint, method: method, columns: extractor.featureDimension)
        self.init(configuration: state.configuration, extractor: extractor, bank: bank)
    }

    /// Rebuilds a saved feature extractor by its kind; new extractors are added here.
    public static func loadExtractor(_ saved: SavedFeatureExtractor) throws -> any PatchFeatureExtractor {
        switch saved.kind {
        case FPFHFeatureExtractor.kind:
            guard saved.tensors.isEmpty else {
                throw ModelCheckpointError.unexpectedTensors(
                    names: saved.tensors.keys.map { BaselineCheckpoint.extractorPrefix + $0 })
            }
            return try BaselineCheckpoint.decode(FPFHFeatureExtractor.self, from: saved.configuration, method: methodName)
        case EncoderFeatureExtractor.kind:
            return try EncoderFeatureExtractor(saved: saved)
        default:
            throw ModelCheckpointError.invalidConfiguration(
                method: methodName, reason: "unknown feature extractor '\(saved.kind)'")
        }
    }

    /// What the checkpoint's JSON holds.
    private struct State: Codable {
        var configuration: PatchCoreConfiguration
        var extractorKind: String
        var extractorConfiguration: String
    }
}
