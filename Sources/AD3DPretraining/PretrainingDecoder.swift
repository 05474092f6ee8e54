import AD3DModels
import AD3DNN
import AD3DSupport
import AD3DTensor
import Foundation

/// The light decoder of masked-autoencoder pretraining: a learned mask
/// token, its own positional MLP, pre-norm blocks with pos re-added before each, a LayerNorm on the
/// masked tokens and a head predicting each masked group's K points relative to its centre.
/// Names follow §7's port: `decoder.mask_token`, `decoder.pos.fc{1,2}`, `decoder.blocks.i.*`,
/// `decoder.norm`, `decoder.head`.
public struct PretrainingDecoder: ParameterContainer, Sendable {
    /// `[D]`, standing in for every masked group.
    public var maskToken: Tensor
    /// Positional MLP 3 → 128 → D (GELU).
    public var pos: Perceptron
    /// The decoder blocks (width D, no qkv bias).
    public var blocks: [TransformerBlock]
    /// LayerNorm before the head.
    public var norm: LayerNorm
    /// D → 3K.
    public var head: Linear

    /// A decoder for `encoder`'s width with `depth` blocks, predicting groups of `groupSize` points,
    /// initialised as Point-MAE's (§5): Xavier-uniform block linears with zero biases, mask token
    /// truncated-normal(0.02), positional MLP and head with PyTorch's default `U(±1/√fan_in)`.
    public init(encoder: PointMAEConfiguration, depth: Int, groupSize: Int, generator: inout SeededGenerator) {
        let d = encoder.dimension
        maskToken = Tensor(shape: [d], storage: (0..<d).map { _ in
            var sample: Float
            repeat { sample = 0.02 * generator.nextGaussian() } while abs(sample) > 2
            return sample
        })
        blocks = (0..<depth).map { _ in PretrainingEncoder.block(configuration: encoder, generator: &generator) }
        pos = Perceptron(
            inputDimensions: 3, hiddenDimensions: PointMAEConfiguration.positionHiddenDimensions, outputDimensions: d,
            generator: &generator)
        pos.fc1 = Self.pytorchDefaultLinear(inputs: 3, outputs: PointMAEConfiguration.positionHiddenDimensions, generator: &generator)
        pos.fc2 = Self.pytorchDefaultLinear(inputs: PointMAEConfiguration.positionHiddenDimensions, outputs: d, generator: &generator)
        norm = LayerNorm(dimensions: d, eps: encoder.layerNormEpsilon)
        head = Self.pytorchDefaultLinear(inputs: d, outputs: 3 * groupSize, generator: &generator)
    }

    /// A linear layer as `torch.nn.Linear` initialises it: weight and bias `U(±1/√inputs)`.
    private static func pytorchDefaultLinear(inputs: Int, outputs: Int, generator: inout SeededGenerator) -> Linear {
        var layer = Linear(inputDimensions: inputs, outputDimensions: outputs, generator: &generator)
        let bound = 1 / Float(inputs).squareRoot()
        layer.weight = Tensor(shape: [outputs, inputs], storage: (0..<(inputs * outputs)).map { _ in generator.uniform(-bound...bound) })
        layer.bias = Tensor(shape: [outputs], storage: (0..<outputs).map { _ in generator.uniform(-bound...bound) })
        return layer
    }

    /// Predictions `[B·M, 3K]` of the masked groups. `input` holds, per sample, its V encoded
    /// visible tokens followed by M mask tokens (`[B·(V+M), D]`), `positions` the decoder positions
    /// of the same rows; `maskedRows` selects the M mask rows of every sample.
    func callAsFunction(
        _ input: Variable, positions: Variable, groupCount: Int, maskedRows: [Int], _ scope: ParameterScope
    ) -> Variable {
        var stream = input
        for (index, block) in blocks.enumerated() {
            stream = block(stream + positions, sequenceLength: groupCount, scope.child("blocks.\(index)"))
        }
        return head(norm(stream.gatherRows(maskedRows), scope.child("norm")), scope.child("head"))
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try body(parameterName(prefix, "mask_token"), &maskToken)
        try pos.visitParameters(prefix: parameterName(prefix, "pos"), body)
        for index in blocks.indices {
            try blocks[index].visitParameters(prefix: parameterName(prefix, "blocks.\(index)"), body)
        }
        try norm.visitParameters(prefix: parameterName(prefix, "norm"), body)
        try head.visitParameters(prefix: parameterName(prefix, "head"), body)
    }
}
