import Foundation

/// How the SCA detector turns a patch into its score (method.md step 8, *tunable*): the trained
/// discriminator's logit, the distance to a memory of clean training patches, or both.
public enum SCAReadout: String, Sendable, Codable, CaseIterable {
    /// The attention discriminator's standardised logit (the method as written).
    case discriminator
    /// The standardised distance from the patch's encoder feature to its nearest clean training feature.
    case memory
    /// The sum of both standardised scores.
    case combined

    /// Whether this read-out needs the discriminator's logits.
    public var usesDiscriminator: Bool { self != .memory }
    /// Whether this read-out needs the patch memory.
    public var usesMemory: Bool { self != .discriminator }
}

/// A memory of clean training patch features (a greedy coreset of the encoded augmented training
/// copies): a test patch unlike every remembered one is anomalous, whatever the discriminator
/// learned. Distances are standardised by those of held-out clean copies.
public struct PatchMemory: Sendable {
    /// Name of the memory's features in a checkpoint.
    static let tensorName = "memory.features"

    /// The remembered features, `[B, C]`.
    public let bank: NearestNeighborBank

    /// A memory holding `features` (`[B ≥ 1, C]`).
    public init(features: Tensor) {
        bank = NearestNeighborBank(features: features)
    }

    /// The memory of `features` (`[N, C]`) reduced to a greedy coreset of `ratio · N` rows, and the
    /// statistics of the distances of `calibration` features (clean, not in the memory) to it.
    public static func build(
        features: Tensor, ratio: Float, calibration: Tensor, seed: UInt64
    ) throws -> (memory: PatchMemory, statistics: ScoreStatistics) {
        let kept = try GreedyCoreset.select(features, ratio: ratio, projectionDimension: 128, seed: seed)
        let memory = PatchMemory(features: features.gatherRows(kept))
        return (memory, ScoreStatistics(of: try memory.distances(calibration)))
    }

    /// The distance of each row of `features` (`[G, C]`) to its nearest remembered feature.
    public func distances(_ features: Tensor) throws -> [Float] {
        try bank.nearest(to: features, k: 1).distances
    }
}
