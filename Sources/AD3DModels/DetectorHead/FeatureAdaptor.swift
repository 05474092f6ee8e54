import AD3DNN
import AD3DSupport
import AD3DTensor

/// The feature adaptor (method step 5): `a = W2·σ(W1·f + b1) + b2`, `C → H → D`, which moves the
/// frozen encoder's generic features toward the training category.
public struct FeatureAdaptor: ParameterContainer, Sendable {
    /// The two-layer MLP (`fc1`: `C → H`, σ, `fc2`: `H → D`).
    public var perceptron: Perceptron

    /// A randomly initialised adaptor for `configuration`'s sizes.
    public init(configuration: DetectorHeadConfiguration, generator: inout SeededGenerator) {
        perceptron = Perceptron(
            inputDimensions: configuration.inputDimensions, hiddenDimensions: configuration.adaptorHiddenDimensions,
            outputDimensions: configuration.adaptedDimensions, activation: configuration.adaptorActivation,
            generator: &generator)
    }

    /// Encoder features `[G, C]` → adapted features `[G, D]`.
    public func callAsFunction(_ features: Variable, _ scope: ParameterScope) -> Variable {
        perceptron(features, scope)
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try perceptron.visitParameters(prefix: prefix, body)
    }
}
