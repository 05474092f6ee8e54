import AD3DModels
import AD3DNN
import AD3DSupport
import AD3DTensor

/// The Point-MAE encoder on the tape, for masked-autoencoder pretraining: patch tokens, the
/// positional MLP re-added before every block, pre-norm transformer blocks and the final norm.
/// Parameter names are exactly those of `PointMAEEncoder`, so
/// `encoder()` hands the trained weights, BatchNorm running estimates included, to the detector.
public struct PretrainingEncoder: ParameterContainer, Sendable {
    /// The encoder's hyper-parameters (its grouping fields are what the exported encoder uses).
    public let configuration: PointMAEConfiguration
    /// The mini-PointNet.
    public var patch: PretrainingPatchEmbedding
    /// Positional MLP on absolute centres, 3 → 128 → D (GELU).
    public var pos: Perceptron
    /// The L transformer blocks (qkv without bias).
    public var blocks: [TransformerBlock]
    /// The final LayerNorm.
    public var norm: LayerNorm

    /// The trainable form of `encoder`, with its weights and BatchNorm running estimates.
    public init(_ encoder: PointMAEEncoder) throws {
        let configuration = encoder.configuration
        self.configuration = configuration
        let d = configuration.dimension
        var generator = SeededGenerator(seed: 0)
        patch = PretrainingPatchEmbedding(outputs: configuration.encoderDimensions, batchNormEpsilon: configuration.batchNormEpsilon)
        pos = Perceptron(
            inputDimensions: 3, hiddenDimensions: PointMAEConfiguration.positionHiddenDimensions, outputDimensions: d,
            generator: &generator)
        blocks = (0..<configuration.depth).map { _ in
            PretrainingEncoder.block(configuration: configuration, generator: &generator)
        }
        norm = LayerNorm(dimensions: d, eps: configuration.layerNormEpsilon)
        try loadWeights(encoder.weights())
    }

    /// A pre-norm block of width D with Point-MAE's shape: MLP 4D, no qkv bias, LayerNorm ε of `configuration`.
    static func block(configuration: PointMAEConfiguration, generator: inout SeededGenerator) -> TransformerBlock {
        let d = configuration.dimension
        var block = TransformerBlock(
            dimensions: d, headCount: configuration.headCount, hiddenDimensions: PointMAEConfiguration.mlpRatio * d,
            generator: &generator)
        block.attn.qkv.bias = nil
        block.norm1.eps = configuration.layerNormEpsilon
        block.norm2.eps = configuration.layerNormEpsilon
        return block
    }

    /// The weights as `PointMAEEncoder.weights()` names them (prefix `encoder.`, running estimates included).
    public func weights() -> [String: Tensor] {
        var copy = self
        var result = namedParameters(prefix: "encoder")
        copy.patch.visitBuffers(prefix: "encoder.patch") { name, tensor in result[name] = tensor }
        return result
    }

    /// The frozen inference encoder with these weights, grouping as `configuration` says.
    public func encoder() throws -> PointMAEEncoder {
        try PointMAEEncoder(configuration: configuration, weights: weights())
    }

    /// Replaces every weight and running estimate with the tensor of the same name in `weights`.
    mutating func loadWeights(_ weights: [String: Tensor]) throws {
        var bufferNames: [String] = []
        patch.visitBuffers(prefix: "encoder.patch") { name, _ in bufferNames.append(name) }
        try loadParameters(weights.filter { !bufferNames.contains($0.key) }, prefix: "encoder")
        let missing = bufferNames.filter { weights[$0] == nil }
        guard missing.isEmpty else { throw ModelCheckpointError.missingTensors(names: missing) }
        try patch.visitBuffers(prefix: "encoder.patch") { name, tensor in
            guard weights[name]!.shape == tensor.shape else {
                throw ModelCheckpointError.shapeMismatch(name: name, expected: tensor.shape, actual: weights[name]!.shape)
            }
            tensor = weights[name]!
        }
    }

    /// The outputs of every block (before the final norm) for `B` stacked sequences of
    /// `sequenceLength` tokens: `x_{i+1} = block_i(x_i + pos)` (pos re-added at every block, §4).
    public func blockOutputs(
        tokens: Variable, positions: Variable, sequenceLength: Int, _ scope: ParameterScope
    ) -> [Variable] {
        var stream = tokens
        var outputs: [Variable] = []
        for (index, block) in blocks.enumerated() {
            stream = block(stream + positions, sequenceLength: sequenceLength, scope.child("blocks.\(index)"))
            outputs.append(stream)
        }
        return outputs
    }

    /// Every block's output for one cloud's groups, `centers` `[G, 3]` and `neighborhoods`
    /// `[G, K, 3]`, with BatchNorm in evaluation mode: what `PointMAEEncoder.features` taps.
    public func evaluationBlockOutputs(centers: Tensor, neighborhoods: Tensor) -> [Tensor] {
        let tape = Tape(isRecording: false)
        let scope = ParameterScope(tape: tape, path: "encoder")
        let (groups, size) = (neighborhoods.shape[0], neighborhoods.shape[1])
        let points = tape.constant(neighborhoods.reshaped([groups * size, 3]))
        let tokens = patch(points, groupSize: size, scope.child("patch"), training: false).tokens
        let positions = pos(tape.constant(centers), scope.child("pos"))
        return blockOutputs(tokens: tokens, positions: positions, sequenceLength: groups, scope).map(\.value)
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try patch.visitParameters(prefix: parameterName(prefix, "patch"), body)
        try pos.visitParameters(prefix: parameterName(prefix, "pos"), body)
        for index in blocks.indices {
            try blocks[index].visitParameters(prefix: parameterName(prefix, "blocks.\(index)"), body)
        }
        try norm.visitParameters(prefix: parameterName(prefix, "norm"), body)
    }
}
