import AD3DSupport
import AD3DTensor
import Foundation

/// Multi-head self-attention over the rows of a `[G, d]` sequence (Vaswani et al. 2017):
/// a fused `qkv` projection, `softmax(q·kᵀ/√d_h)·v` per head, heads concatenated, then `proj`.
public struct SelfAttention: ParameterContainer, Sendable {
    /// `d → 3d` (query, key, value blocks in that order, PyTorch/timm layout).
    public var qkv: Linear
    /// `d → d`.
    public var proj: Linear
    /// Number of heads; `d` must be a multiple of it.
    public let headCount: Int

    /// A randomly initialised attention layer of width `dimensions`.
    public init(dimensions: Int, headCount: Int, generator: inout SeededGenerator) {
        precondition(headCount > 0 && dimensions % headCount == 0, "\(dimensions) channels do not split into \(headCount) heads")
        qkv = Linear(inputDimensions: dimensions, outputDimensions: 3 * dimensions, generator: &generator)
        proj = Linear(inputDimensions: dimensions, outputDimensions: dimensions, generator: &generator)
        self.headCount = headCount
    }

    /// `[G, d]` → `[G, d]`, every token attending to every token.
    public func callAsFunction(_ x: Variable, _ scope: ParameterScope) -> Variable {
        let width = x.shape[1], headWidth = width / headCount
        let fused = qkv(x, scope.child("qkv"))  // [G, 3d]
        let scale = 1 / Float(headWidth).squareRoot()
        let heads = (0..<headCount).map { h -> Variable in
            let offset = h * headWidth
            let q = fused.columns(offset..<(offset + headWidth))
            let k = fused.columns((width + offset)..<(width + offset + headWidth))
            let v = fused.columns((2 * width + offset)..<(2 * width + offset + headWidth))
            let weights = q.matmul(k, transposeB: true).scaled(by: scale).softmax()  // [G, G]
            return weights.matmul(v)  // [G, d_h]
        }
        return proj(Variable.concatenate(heads, alongAxis: 1), scope.child("proj"))
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try qkv.visitParameters(prefix: parameterName(prefix, "qkv"), body)
        try proj.visitParameters(prefix: parameterName(prefix, "proj"), body)
    }
}

/// A pre-norm transformer block: `x + attn(norm1(x))`, then `+ mlp(norm2(·))` (GELU MLP).
public struct TransformerBlock: ParameterContainer, Sendable {
    /// Normalisation before attention.
    public var norm1: LayerNorm
    /// Multi-head self-attention.
    public var attn: SelfAttention
    /// Normalisation before the MLP.
    public var norm2: LayerNorm
    /// `d → hidden → d`.
    public var mlp: Perceptron

    /// A randomly initialised block of width `dimensions` with an MLP of `hiddenDimensions`.
    public init(dimensions: Int, headCount: Int, hiddenDimensions: Int, generator: inout SeededGenerator) {
        norm1 = LayerNorm(dimensions: dimensions)
        attn = SelfAttention(dimensions: dimensions, headCount: headCount, generator: &generator)
        norm2 = LayerNorm(dimensions: dimensions)
        mlp = Perceptron(
            inputDimensions: dimensions, hiddenDimensions: hiddenDimensions, outputDimensions: dimensions,
            generator: &generator)
    }

    /// `[G, d]` → `[G, d]`.
    public func callAsFunction(_ x: Variable, _ scope: ParameterScope) -> Variable {
        let attended = x + attn(norm1(x, scope.child("norm1")), scope.child("attn"))
        return attended + mlp(norm2(attended, scope.child("norm2")), scope.child("mlp"))
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try norm1.visitParameters(prefix: parameterName(prefix, "norm1"), body)
        try attn.visitParameters(prefix: parameterName(prefix, "attn"), body)
        try norm2.visitParameters(prefix: parameterName(prefix, "norm2"), body)
        try mlp.visitParameters(prefix: parameterName(prefix, "mlp"), body)
    }
}
