import AD3DModels
import AD3DNN
import AD3DSupport
import AD3DTensor

/// Point-MAE's mini-PointNet patch encoder on the tape, for training:
/// `conv1 → bn1 → ReLU → conv2` per point, max-pool over the group, `[global ; point]` through
/// `conv3 → bn2 → ReLU → conv4`, max-pool again. Parameter names are the clean names of §7
/// (`conv1` … `conv4`, `bn1`, `bn2`), so the weights load into `PointMAEEncoder`.
public struct PretrainingPatchEmbedding: ParameterContainer, Sendable {
    /// 3 → 128.
    public var conv1: Linear
    /// BatchNorm(128).
    public var bn1: BatchNorm
    /// 128 → 256, the per-point feature.
    public var conv2: Linear
    /// 512 → 512 on `[global ; point]`.
    public var conv3: Linear
    /// BatchNorm(512).
    public var bn2: BatchNorm
    /// 512 → C, the token.
    public var conv4: Linear

    /// A patch encoder with tokens of `outputs` channels; the weights are placeholders to be loaded.
    init(outputs: Int, batchNormEpsilon: Float) {
        let (first, feature, second) = PointMAEConfiguration.patchHiddenDimensions
        var generator = SeededGenerator(seed: 0)
        conv1 = Linear(inputDimensions: 3, outputDimensions: first, generator: &generator)
        bn1 = BatchNorm(dimensions: first, eps: batchNormEpsilon)
        conv2 = Linear(inputDimensions: first, outputDimensions: feature, generator: &generator)
        conv3 = Linear(inputDimensions: 2 * feature, outputDimensions: second, generator: &generator)
        bn2 = BatchNorm(dimensions: second, eps: batchNormEpsilon)
        conv4 = Linear(inputDimensions: second, outputDimensions: outputs, generator: &generator)
    }

    /// Tokens `[G, C]` of `points` `[G·K, 3]` (each group's K coordinates relative to its centre,
    /// consecutive rows). In training mode BatchNorm uses the statistics of all `G·K` rows, which are
    /// returned (bn1, bn2) for the running estimates; otherwise the running estimates.
    ///
    /// conv3's input is `[global ; point]` where the global half is the same for all K points of a
    /// group, so it is applied once per group and repeated (§8: half of conv3's cost saved).
    public func callAsFunction(
        _ points: Variable, groupSize: Int, _ scope: ParameterScope, training: Bool
    ) -> (tokens: Variable, statistics: [BatchStatistics]) {
        let feature = PointMAEConfiguration.patchHiddenDimensions.feature
        let (normalized1, statistics1) = bn1(conv1(points, scope.child("conv1")), scope.child("bn1"), training: training)
        let perPoint = conv2(normalized1.relu(), scope.child("conv2"))  // [G·K, 256]
        let pooled = perPoint.maxPoolRows(groupSize: groupSize)  // [G, 256]
        let conv3Scope = scope.child("conv3")
        let weight = conv3Scope.parameter("weight", conv3.weight)
        let global = pooled.linear(weight: weight.columns(0..<feature), bias: conv3Scope.parameter("bias", conv3.bias!))
        let hidden = global.repeatRows(groupSize) + perPoint.linear(weight: weight.columns(feature..<(2 * feature)))
        let (normalized2, statistics2) = bn2(hidden, scope.child("bn2"), training: training)
        let tokens = conv4(normalized2.relu(), scope.child("conv4")).maxPoolRows(groupSize: groupSize)
        return (tokens, [statistics1, statistics2].compactMap { $0 })
    }

    /// Moves bn1's and bn2's running estimates towards `statistics` (as returned by a training pass).
    public mutating func updateRunningStatistics(_ statistics: [BatchStatistics]) {
        precondition(statistics.count == 2, "expected the statistics of bn1 and bn2")
        bn1.update(with: statistics[0])
        bn2.update(with: statistics[1])
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try conv1.visitParameters(prefix: parameterName(prefix, "conv1"), body)
        try bn1.visitParameters(prefix: parameterName(prefix, "bn1"), body)
        try conv2.visitParameters(prefix: parameterName(prefix, "conv2"), body)
        try conv3.visitParameters(prefix: parameterName(prefix, "conv3"), body)
        try bn2.visitParameters(prefix: parameterName(prefix, "bn2"), body)
        try conv4.visitParameters(prefix: parameterName(prefix, "conv4"), body)
    }

    /// The BatchNorm running estimates (`bn1.running_mean`, …), which are state but not trained.
    public mutating func visitBuffers(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try bn1.visitBuffers(prefix: parameterName(prefix, "bn1"), body)
        try bn2.visitBuffers(prefix: parameterName(prefix, "bn2"), body)
    }
}
