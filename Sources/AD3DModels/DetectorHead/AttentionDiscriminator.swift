import AD3DNN
import AD3DSupport
import AD3DTensor

/// The discriminator (method step 7): a positional embedding of the patch centres (MLP
/// `3 → 64 → d`) is added to the fused tokens, `L` pre-norm transformer blocks let every token
/// see every other, and `LayerNorm → Linear(d, 1)` gives one logit per patch.
///
/// The `perceptron` ablation replaces the blocks by a per-token `Linear(d, d) → GELU` before the
/// output layer, so tokens are scored independently.
public struct AttentionDiscriminator: ParameterContainer, Sendable {
    /// Positional embedding `3 → hidden → d`.
    public var position: Perceptron
    /// Transformer blocks (empty in the perceptron ablation).
    public var blocks: [TransformerBlock]
    /// Final normalisation.
    public var norm: LayerNorm
    /// The hidden per-token layer of the perceptron ablation (nil for attention).
    public var hidden: Linear?
    /// `d → 1`.
    public var output: Linear

    /// A randomly initialised discriminator for `configuration`.
    public init(configuration: DetectorHeadConfiguration, generator: inout SeededGenerator) {
        let width = configuration.modelDimensions
        position = Perceptron(
            inputDimensions: 3, hiddenDimensions: configuration.positionHiddenDimensions, outputDimensions: width,
            generator: &generator)
        switch configuration.discriminator {
        case .attention:
            blocks = (0..<configuration.blockCount).map { _ in
                TransformerBlock(
                    dimensions: width, headCount: configuration.headCount,
                    hiddenDimensions: width * configuration.mlpRatio, generator: &generator)
            }
        case .perceptron:
            blocks = []
            hidden = Linear(inputDimensions: width, outputDimensions: width, generator: &generator)
        }
        norm = LayerNorm(dimensions: width)
        output = Linear(inputDimensions: width, outputDimensions: 1, generator: &generator)
    }

    /// Fused tokens `[G, d]` at `centers` `[G, 3]` → logits `[G, 1]`.
    public func callAsFunction(_ tokens: Variable, centers: Tensor, _ scope: ParameterScope) -> Variable {
        var x = tokens + position(scope.constant(centers), scope.child("pos"))
        for (index, block) in blocks.enumerated() { x = block(x, scope.child("blocks.\(index)")) }
        x = norm(x, scope.child("norm"))
        if let hidden { x = hidden(x, scope.child("hidden")).gelu() }
        return output(x, scope.child("head"))
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try position.visitParameters(prefix: parameterName(prefix, "pos"), body)
        for index in blocks.indices {
            try blocks[index].visitParameters(prefix: parameterName(prefix, "blocks.\(index)"), body)
        }
        try norm.visitParameters(prefix: parameterName(prefix, "norm"), body)
        if hidden != nil { try hidden!.visitParameters(prefix: parameterName(prefix, "hidden"), body) }
        try output.visitParameters(prefix: parameterName(prefix, "head"), body)
    }
}
