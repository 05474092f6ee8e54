import AD3DNN
import AD3DTensor

/// A fully connected layer `y = x·Wᵀ + b` with PyTorch's `[out, in]` weight (also a kernel-1 Conv1d).
struct PointMAELinear: Sendable {
    /// `[out, in]`.
    var weight: Tensor
    /// `[out]`, or nil for a layer without bias (`attn.qkv`).
    var bias: Tensor?

    /// A layer from its tensors.
    init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    /// Declares `name.weight` (and `name.bias`) with `source`.
    init(_ source: inout PointMAEParameterSource, _ name: String, inputs: Int, outputs: Int, bias: Bool = true) {
        weight = source.tensor("\(name).weight", shape: [outputs, inputs], initialization: .truncatedNormal)
        self.bias = bias ? source.tensor("\(name).bias", shape: [outputs], initialization: .zeros) : nil
    }

    /// Output width.
    var outputs: Int { weight.shape[0] }

    /// `x·Wᵀ + b` for `x` of shape `[..., in]`.
    func callAsFunction(_ x: Tensor) -> Tensor { x.linear(weight: weight, bias: bias) }

    /// `y ← y + x·Wᵀ + b`: the layer output added onto a residual stream without a temporary.
    func accumulate(_ x: Tensor, into y: inout Tensor) {
        Tensor.gemm(x.reshaped([x.count / weight.shape[1], weight.shape[1]]), weight, into: &y, transposeB: true, beta: 1)
        if let bias { y.addRowVector(bias) }
    }

    /// Adds the tensors under `name` to `parameters`.
    func collect(into parameters: inout [String: Tensor], _ name: String) {
        parameters["\(name).weight"] = weight
        if let bias { parameters["\(name).bias"] = bias }
    }
}

/// LayerNorm over the last axis with affine `(γ, β)` and the biased variance (PyTorch `nn.LayerNorm`).
struct PointMAELayerNorm: Sendable {
    /// γ, `[D]`.
    var weight: Tensor
    /// β, `[D]`.
    var bias: Tensor
    /// ε added to the variance.
    var epsilon: Float

    /// Declares `name.weight` and `name.bias` with `source`.
    init(_ source: inout PointMAEParameterSource, _ name: String, width: Int, epsilon: Float) {
        weight = source.tensor("\(name).weight", shape: [width], initialization: .ones)
        bias = source.tensor("\(name).bias", shape: [width], initialization: .zeros)
        self.epsilon = epsilon
    }

    /// The normalised `x`.
    func callAsFunction(_ x: Tensor) -> Tensor { x.layerNorm(gamma: weight, beta: bias, eps: epsilon) }

    /// Adds the tensors under `name` to `parameters`.
    func collect(into parameters: inout [String: Tensor], _ name: String) {
        parameters["\(name).weight"] = weight
        parameters["\(name).bias"] = bias
    }
}

/// BatchNorm1d in eval mode, `y = γ·(x − μ)/√(σ² + ε) + β` with running statistics; it is only ever
/// folded into the layer before it.
struct PointMAEBatchNorm: Sendable {
    /// γ.
    var weight: Tensor
    /// β.
    var bias: Tensor
    /// Running mean μ.
    var runningMean: Tensor
    /// Running (biased) variance σ².
    var runningVariance: Tensor
    /// ε added to the variance.
    var epsilon: Float

    /// Declares `name.{weight,bias,running_mean,running_var}` with `source`.
    init(_ source: inout PointMAEParameterSource, _ name: String, width: Int, epsilon: Float) {
        weight = source.tensor("\(name).weight", shape: [width], initialization: .ones)
        bias = source.tensor("\(name).bias", shape: [width], initialization: .zeros)
        runningMean = source.tensor("\(name).running_mean", shape: [width], initialization: .zeros)
        runningVariance = source.tensor("\(name).running_var", shape: [width], initialization: .ones)
        self.epsilon = epsilon
    }

    /// The single layer equal to `linear` followed by this BatchNorm: `W′ = s·W` row-wise and
    /// `b′ = (b − μ)·s + β` with `s = γ/√(σ² + ε)`, computed in Double.
    func folded(into linear: PointMAELinear) -> PointMAELinear {
        let (outputs, inputs) = (linear.weight.shape[0], linear.weight.shape[1])
        precondition(weight.count == outputs, "BatchNorm width \(weight.count) does not follow a layer of \(outputs) outputs")
        var foldedWeight = [Float](repeating: 0, count: outputs * inputs)
        var foldedBias = [Float](repeating: 0, count: outputs)
        for o in 0..<outputs {
            let scale = Double(weight.storage[o]) / (Double(runningVariance.storage[o]) + Double(epsilon)).squareRoot()
            for i in 0..<inputs {
                foldedWeight[o * inputs + i] = Float(Double(linear.weight.storage[o * inputs + i]) * scale)
            }
            let bias = Double(linear.bias?.storage[o] ?? 0)
            foldedBias[o] = Float((bias - Double(runningMean.storage[o])) * scale + Double(self.bias.storage[o]))
        }
        return PointMAELinear(
            weight: Tensor(shape: [outputs, inputs], storage: foldedWeight), bias: Tensor(shape: [outputs], storage: foldedBias))
    }

    /// Adds the tensors under `name` to `parameters`.
    func collect(into parameters: inout [String: Tensor], _ name: String) {
        parameters["\(name).weight"] = weight
        parameters["\(name).bias"] = bias
        parameters["\(name).running_mean"] = runningMean
        parameters["\(name).running_var"] = runningVariance
    }
}
