import AD3DNN

/// Sizes and switches of the trained detector head.
///
/// Defaults train one category in about 2–3 minutes on 2 CPU cores from precomputed encoder
/// features (`G` ≈ 512 tokens of `C` = 576 channels; ≈ 0.45 s per step of 4 samples).
public struct DetectorHeadConfiguration: Codable, Sendable, Equatable {
    /// Channels `C` of the encoder features.
    public var inputDimensions = 576
    /// Hidden width `H` of the feature adaptor.
    public var adaptorHiddenDimensions = 256
    /// Nonlinearity σ of the feature adaptor.
    public var adaptorActivation = Activation.gelu
    /// Width `D` of the adapted features and prototypes.
    public var adaptedDimensions = 128
    /// Width `d` of the discriminator tokens.
    public var modelDimensions = 128
    /// Whether spatial context aggregation runs (off: `z = Linear(a)`, an ablation).
    public var contextAggregation = true
    /// Number `M` of global prototypes.
    public var prototypeCount = 32
    /// Entropic regularisation ε of the Sinkhorn transport.
    public var sinkhornEpsilon: Float = 0.05
    /// Number of Sinkhorn iterations.
    public var sinkhornIterations = 20
    /// Which discriminator scores the tokens.
    public var discriminator = DiscriminatorKind.attention
    /// Hidden width of the positional embedding MLP (`3 → this → d`).
    public var positionHiddenDimensions = 64
    /// Number `L` of transformer blocks.
    public var blockCount = 2
    /// Attention heads per block (must divide `d`).
    public var headCount = 4
    /// Hidden width of each block's MLP as a multiple of `d`.
    public var mlpRatio = 2
    /// How training anomalies are synthesised.
    public var generator = AnomalousFeatureGenerator.Configuration()
    /// Optimisation settings.
    public var training = DetectorTrainingConfiguration()

    /// The default configuration.
    public init() {}

    /// Why this configuration cannot build a head, or nil when it can.
    public var invalidReason: String? {
        let sizes = [
            ("inputDimensions", inputDimensions), ("adaptorHiddenDimensions", adaptorHiddenDimensions),
            ("adaptedDimensions", adaptedDimensions), ("modelDimensions", modelDimensions),
            ("prototypeCount", prototypeCount), ("positionHiddenDimensions", positionHiddenDimensions),
            ("headCount", headCount), ("mlpRatio", mlpRatio),
        ]
        if let (name, value) = sizes.first(where: { $0.1 < 1 }) { return "\(name) must be at least 1, got \(value)" }
        if blockCount < 0 { return "blockCount must not be negative, got \(blockCount)" }
        if modelDimensions % headCount != 0 {
            return "modelDimensions \(modelDimensions) is not a multiple of headCount \(headCount)"
        }
        if !(sinkhornEpsilon > 0) { return "sinkhornEpsilon must be positive, got \(sinkhornEpsilon)" }
        if sinkhornIterations < 1 { return "sinkhornIterations must be at least 1, got \(sinkhornIterations)" }
        return generator.invalidReason ?? training.invalidReason
    }
}

/// The per-token scorer after context aggregation.
public enum DiscriminatorKind: String, Codable, Sendable, CaseIterable {
    /// Transformer blocks over all tokens (the method).
    case attention
    /// A per-token MLP `d → d → 1` (ablation: no interaction between tokens).
    case perceptron
}

/// Optimisation settings of `DetectorHeadTrainer`.
public struct DetectorTrainingConfiguration: Codable, Sendable, Equatable {
    /// Number of optimiser steps.
    public var steps = 300
    /// Training samples per step (each contributes a clean and a corrupted copy).
    public var batchSize = 4
    /// Peak AdamW learning rate.
    public var learningRate: Float = 1e-3
    /// Final learning rate as a fraction of the peak (cosine decay).
    public var minimumLearningRateFactor: Float = 0.01
    /// Steps of linear warm-up.
    public var warmupSteps = 20
    /// Decoupled weight decay of the linear-layer matrices.
    public var weightDecay: Float = 0.01
    /// Whether positive (corrupted) tokens are weighted by the negative/positive count ratio.
    public var balancePositives = true
    /// Adapted training tokens sampled for the k-means initialisation of the prototypes.
    public var kMeansSampleCount = 4096
    /// Lloyd iterations of that k-means.
    public var kMeansIterations = 15

    /// The default settings.
    public init() {}

    /// Why these settings cannot train, or nil.
    var invalidReason: String? {
        if steps < 1 { return "training.steps must be at least 1, got \(steps)" }
        if batchSize < 1 { return "training.batchSize must be at least 1, got \(batchSize)" }
        if !(learningRate > 0) { return "training.learningRate must be positive, got \(learningRate)" }
        if !(minimumLearningRateFactor >= 0 && minimumLearningRateFactor <= 1) {
            return "training.minimumLearningRateFactor must lie in [0, 1], got \(minimumLearningRateFactor)"
        }
        if warmupSteps < 0 { return "training.warmupSteps must not be negative, got \(warmupSteps)" }
        if !(weightDecay >= 0) { return "training.weightDecay must not be negative, got \(weightDecay)" }
        if kMeansSampleCount < 1 { return "training.kMeansSampleCount must be at least 1, got \(kMeansSampleCount)" }
        if kMeansIterations < 0 { return "training.kMeansIterations must not be negative, got \(kMeansIterations)" }
        return nil
    }
}
