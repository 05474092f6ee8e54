import AD3DSupport
import AD3DTensor
import Foundation

/// A fully connected layer `y = x·Wᵀ + b` with PyTorch's `[out, in]` weight layout.
public struct Linear: ParameterContainer, Sendable {
    /// `[out, in]`.
    public var weight: Tensor
    /// `[out]`, or nil for a layer without bias.
    public var bias: Tensor?

    /// A layer with Xavier-uniform weights (`U(±√(6 / (in + out)))`) and zero bias, drawn from `generator`.
    public init(inputDimensions: Int, outputDimensions: Int, bias: Bool = true, generator: inout SeededGenerator) {
        let limit = (6 / Float(inputDimensions + outputDimensions)).squareRoot()
        weight = Tensor(shape: [outputDimensions, inputDimensions], storage: (0..<(inputDimensions * outputDimensions)).map { _ in
            (2 * generator.nextUnitFloat() - 1) * limit
        })
        self.bias = bias ? Tensor(shape: [outputDimensions]) : nil
    }

    /// Applies the layer to `x` (`[N, in]` → `[N, out]`).
    public func callAsFunction(_ x: Variable, _ scope: ParameterScope) -> Variable {
        x.linear(weight: scope.parameter("weight", weight), bias: bias.map { scope.parameter("bias", $0) })
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try body(parameterName(prefix, "weight"), &weight)
        if bias != nil { try body(parameterName(prefix, "bias"), &bias!) }
    }
}

/// LayerNorm over the channel axis with a learned scale and shift (PyTorch `nn.LayerNorm`).
public struct LayerNorm: ParameterContainer, Sendable {
    /// Scale `[D]`, initialised to ones.
    public var weight: Tensor
    /// Shift `[D]`, initialised to zeros.
    public var bias: Tensor
    /// Added to the variance inside the square root.
    public var eps: Float

    /// The identity-initialised normalisation of `dimensions` channels.
    public init(dimensions: Int, eps: Float = 1e-5) {
        weight = Tensor(shape: [dimensions], repeating: 1)
        bias = Tensor(shape: [dimensions])
        self.eps = eps
    }

    /// Normalises every row of `x` (`[N, D]`).
    public func callAsFunction(_ x: Variable, _ scope: ParameterScope) -> Variable {
        x.layerNorm(gamma: scope.parameter("weight", weight), beta: scope.parameter("bias", bias), eps: eps)
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try body(parameterName(prefix, "weight"), &weight)
        try body(parameterName(prefix, "bias"), &bias)
    }
}

/// The nonlinearity between the two layers of a `Perceptron`.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// Exact (erf) GELU.
    case gelu
    /// max(x, 0).
    case relu

    /// Applies the activation.
    func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .gelu: return x.gelu()
        case .relu: return x.relu()
        }
    }
}

/// A two-layer perceptron `fc2(σ(fc1(x)))`: `in → hidden → out`.
public struct Perceptron: ParameterContainer, Sendable {
    /// `in → hidden`.
    public var fc1: Linear
    /// `hidden → out`.
    public var fc2: Linear
    /// The nonlinearity σ.
    public var activation: Activation

    /// A randomly initialised perceptron.
    public init(
        inputDimensions: Int, hiddenDimensions: Int, outputDimensions: Int, activation: Activation = .gelu,
        generator: inout SeededGenerator
    ) {
        fc1 = Linear(inputDimensions: inputDimensions, outputDimensions: hiddenDimensions, generator: &generator)
        fc2 = Linear(inputDimensions: hiddenDimensions, outputDimensions: outputDimensions, generator: &generator)
        self.activation = activation
    }

    /// `[N, in]` → `[N, out]`.
    public func callAsFunction(_ x: Variable, _ scope: ParameterScope) -> Variable {
        fc2(activation(fc1(x, scope.child("fc1"))), scope.child("fc2"))
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try fc1.visitParameters(prefix: parameterName(prefix, "fc1"), body)
        try fc2.visitParameters(prefix: parameterName(prefix, "fc2"), body)
    }
}
