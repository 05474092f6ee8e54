import AD3DPointCloud
import AD3DTensor

/// What the encoder returns for one cloud.
public struct PointMAEOutput: Sendable, Equatable {
    /// The tapped block outputs, each through the shared final LayerNorm, concatenated in tap order: `[G, T·D]`.
    public var features: Tensor
    /// The same taps separately, `T` tensors of `[G, D]`.
    public var taps: [Tensor]
    /// Debug values, present when requested: patch tokens, positional embeddings and every block's
    /// pre-norm output.
    public var intermediates: PointMAEIntermediates?
}

/// The encoder's internal values for one cloud.
public struct PointMAEIntermediates: Sendable, Equatable {
    /// Patch tokens x₀, `[G, D]`.
    public var tokens: Tensor
    /// Positional embeddings of the centres, `[G, D]`.
    public var positions: Tensor
    /// The output x_{i+1} of every block i (before the final norm), `L` tensors of `[G, D]`.
    public var blockOutputs: [Tensor]
}

/// The Point-MAE encoder as a frozen feature extractor (Pang et al., ECCV 2022):
/// mini-PointNet patch tokens, a positional MLP re-added before every pre-norm transformer block,
/// and the shared final LayerNorm applied to each tapped block output (§6). Eval mode throughout.
public struct PointMAEEncoder: Sendable {
    /// The resolved hyper-parameters.
    public let configuration: PointMAEConfiguration
    let patch: PointMAEPatchEmbedding
    let positional: PointMAEPositionalEmbedding
    let blocks: [PointMAEBlock]
    let norm: PointMAELayerNorm

    /// An encoder with the given weights (clean names of §7, BatchNorm unfolded); throws
    /// `PointMAEWeightsError` listing every missing, unexpected and mis-shaped tensor.
    public init(configuration: PointMAEConfiguration, weights: [String: Tensor]) throws {
        try self.init(configuration: configuration, source: PointMAEParameterSource(weights: weights))
    }

    /// A randomly initialised encoder, reproducible from `seed`, by default initialised as Point-MAE's
    /// encoder (§5): truncated-normal(0.02) weights, zero biases, LayerNorm (1, 0), BatchNorm γ 1, β 0,
    /// μ 0, σ² 1; `.varianceScaled` changes only the weights' standard deviations.
    public init(configuration: PointMAEConfiguration, seed: UInt64, initialization: PointMAEInitialization = .pointMAE) throws {
        try self.init(configuration: configuration, source: PointMAEParameterSource(seed: seed, initialization: initialization))
    }

    private init(configuration: PointMAEConfiguration, source: PointMAEParameterSource) throws {
        try configuration.validate()
        var source = source
        self.configuration = configuration
        patch = PointMAEPatchEmbedding(&source, outputs: configuration.encoderDimensions, batchNormEpsilon: configuration.batchNormEpsilon)
        positional = PointMAEPositionalEmbedding(&source, dimension: configuration.dimension)
        blocks = (0..<configuration.depth).map { PointMAEBlock(&source, index: $0, configuration: configuration) }
        norm = PointMAELayerNorm(&source, "encoder.norm", width: configuration.dimension, epsilon: configuration.layerNormEpsilon)
        try source.finish()
    }

    /// All parameters by clean name, BatchNorm unfolded: what `init(configuration:weights:)` takes back.
    public func weights() -> [String: Tensor] {
        var parameters: [String: Tensor] = [:]
        patch.collect(into: &parameters)
        positional.collect(into: &parameters)
        for block in blocks { block.collect(into: &parameters) }
        norm.collect(into: &parameters, "encoder.norm")
        return parameters
    }

    /// Features of precomputed groups: `centers` `[G, 3]` (absolute) and `neighborhoods` `[G, K, 3]`
    /// (relative to their centre), any G and K ≥ 1. Blocks after the last tap are skipped unless
    /// `keepingIntermediates` asks for every block's output.
    public func features(centers: Tensor, neighborhoods: Tensor, keepingIntermediates: Bool = false) -> PointMAEOutput {
        precondition(centers.rank == 2 && centers.shape[1] == 3, "centers must be [G, 3], got \(centers.shape)")
        precondition(
            neighborhoods.rank == 3 && neighborhoods.shape[0] == centers.shape[0] && neighborhoods.shape[2] == 3,
            "neighborhoods must be [G, K, 3] with G = \(centers.shape[0]), got \(neighborhoods.shape)")
        let tokens = patch(neighborhoods)
        let positions = positional(centers)
        let taps = configuration.taps
        let lastBlock = keepingIntermediates ? blocks.count - 1 : taps.last!
        var stream = tokens
        var tapped: [Tensor] = [], blockOutputs: [Tensor] = []
        for index in 0...lastBlock {
            stream = blocks[index](stream, pos: positions)
            if keepingIntermediates { blockOutputs.append(stream) }
            if taps.contains(index) { tapped.append(norm(stream)) }
        }
        return PointMAEOutput(
            features: Tensor.concatenate(tapped, alongAxis: 1),
            taps: tapped,
            intermediates: keepingIntermediates
                ? PointMAEIntermediates(tokens: tokens, positions: positions, blockOutputs: blockOutputs) : nil)
    }

    /// Groups `cloud` as Point-MAE does (FPS from index 0, K nearest neighbours; `configuration.groupCount`
    /// and `groupSize`) and returns the patches with their features `[G, T·D]`.
    public func encode(_ cloud: PointCloud) throws -> (patches: Patches, features: Tensor) {
        let extractor = PatchExtractor(
            groupCount: configuration.groupCount, groupSize: configuration.groupSize, samplingMode: .pointMAE)
        let patches = try extractor(cloud)
        return (patches, features(centers: patches.centers, neighborhoods: patches.neighborhoods).features)
    }
}
