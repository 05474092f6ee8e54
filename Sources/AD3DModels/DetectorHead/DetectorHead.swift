import AD3DNN
import AD3DSupport
import AD3DTensor

/// The trained part of the detector (method steps 5–7): feature adaptor → spatial context
/// aggregation → attention discriminator, turning frozen encoder tokens into one logit per patch.
///
/// Parameters carry dotted names from the module tree: `adaptor.fc1.weight`, `context.prototypes`,
/// `context.fuse.weight`, `discriminator.pos.fc1.weight`, `discriminator.blocks.0.attn.qkv.weight`, …
public struct DetectorHead: ParameterContainer, Sendable {
    /// The sizes and switches the head was built with.
    public let configuration: DetectorHeadConfiguration
    /// Step 5: `C → H → D`.
    public var adaptor: FeatureAdaptor
    /// Step 6: prototypes, Sinkhorn, fusion `→ d`.
    public var context: ContextAggregation
    /// Step 7: positional embedding, transformer blocks, logit.
    public var discriminator: AttentionDiscriminator

    /// A randomly initialised head (seeded); throws when the configuration is invalid.
    public init(configuration: DetectorHeadConfiguration, seed: UInt64) throws(DetectorHeadError) {
        if let reason = configuration.invalidReason { throw .invalidConfiguration(reason: reason) }
        var generator = SeededGenerator(seed: seed)
        self.configuration = configuration
        adaptor = FeatureAdaptor(configuration: configuration, generator: &generator)
        context = ContextAggregation(configuration: configuration, generator: &generator)
        discriminator = AttentionDiscriminator(configuration: configuration, generator: &generator)
    }

    /// A head with the given `parameters`, which must hold exactly this configuration's names
    /// and shapes (as written by `parameters()`).
    public init(configuration: DetectorHeadConfiguration, parameters: [String: Tensor]) throws(ModelCheckpointError) {
        do {
            try self.init(configuration: configuration, seed: 0)
        } catch {
            throw .invalidConfiguration(method: Self.methodName, reason: error.reason)
        }
        try loadParameters(parameters)
    }

    /// Method name used in checkpoint errors (`AnomalyDetector.methodName` of the detector).
    static let methodName = "sca"

    /// Every trained tensor by dotted name.
    public func parameters() -> [String: Tensor] {
        namedParameters()
    }

    /// One logit per patch for encoder `features` (`[G, C]`) at `centers` (`[G, 3]`, normalised
    /// coordinates); higher means more anomalous. Evaluates without recording gradients.
    public func logits(features: Tensor, centers: Tensor) throws(DetectorHeadError) -> [Float] {
        try validate(features: features, centers: centers, sample: 0)
        let scope = ParameterScope(tape: Tape(isRecording: false))
        let adapted = adaptor(scope.constant(features), scope.child("adaptor"))
        return logits(adapted: adapted, centers: centers, scope).value.storage
    }

    /// Adapted features `[G, D]` of encoder `features` (no gradient), e.g. for prototype initialisation.
    public func adapt(_ features: Tensor) -> Tensor {
        let scope = ParameterScope(tape: Tape(isRecording: false))
        return adaptor(scope.constant(features), scope.child("adaptor")).value
    }

    /// Logits `[G, 1]` of adapted tokens at `centers`: context aggregation then the discriminator.
    public func logits(adapted: Variable, centers: Tensor, _ scope: ParameterScope) -> Variable {
        discriminator(context(adapted, scope.child("context")), centers: centers, scope.child("discriminator"))
    }

    /// Checks that `features` is `[G, C]` with this head's `C` and `centers` is `[G, 3]`, `G ≥ 1`.
    func validate(features: Tensor, centers: Tensor, sample: Int) throws(DetectorHeadError) {
        guard features.rank == 2, features.shape[0] > 0, features.shape[1] == configuration.inputDimensions else {
            throw .featureShape(sample: sample, expectedChannels: configuration.inputDimensions, actual: features.shape)
        }
        guard centers.shape == [features.shape[0], 3] else {
            throw .centerShape(sample: sample, tokens: features.shape[0], actual: centers.shape)
        }
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try adaptor.visitParameters(prefix: parameterName(prefix, "adaptor"), body)
        try context.visitParameters(prefix: parameterName(prefix, "context"), body)
        try discriminator.visitParameters(prefix: parameterName(prefix, "discriminator"), body)
    }
}
