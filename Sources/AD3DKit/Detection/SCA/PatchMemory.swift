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
/// learned. Channels are divided by their standard deviation over the training features (so no
/// channel dominates the distance); distances are standardised by those of held-out clean copies.
public struct PatchMemory: Sendable {
    /// Name of the memory's (scaled) features in a checkpoint.
    static let tensorName = "memory.features"
    /// Name of the per-channel scale in a checkpoint.
    static let scaleName = "memory.channel_scale"

    /// The remembered features, already scaled, `[B, C]`.
    public let bank: NearestNeighborBank
    /// The factor applied to each channel before comparing, `[C]`.
    public let channelScale: Tensor

    /// A memory holding `scaledFeatures` (`[B ≥ 1, C]`, already multiplied by `channelScale` `[C]`).
    public init(scaledFeatures: Tensor, channelScale: Tensor) {
        precondition(channelScale.shape == [scaledFeatures.shape[1]], "one scale per channel")
        bank = NearestNeighborBank(features: scaledFeatures)
        self.channelScale = channelScale
    }

    /// The memory of `features` (`[N, C]`) reduced to a greedy coreset of `ratio · N` rows, and the
    /// statistics of the distances of `calibration` features (clean, not in the memory) to it.
    public static func build(
        features: Tensor, ratio: Float, calibration: Tensor, seed: UInt64
    ) throws -> (memory: PatchMemory, statistics: ScoreStatistics) {
        let deviations = ColumnStatistics(rowsOf: [features]).deviations
        let scale = Tensor(shape: [features.shape[1]], storage: deviations.map { $0 > 1e-12 ? Float(1 / $0) : 1 })
        let scaled = scaledRows(features, by: scale)
        let kept = try GreedyCoreset.select(scaled, ratio: ratio, projectionDimension: 128, seed: seed)
        let memory = PatchMemory(scaledFeatures: scaled.gatherRows(kept), channelScale: scale)
        return (memory, ScoreStatistics(of: try memory.distances(calibration)))
    }

    /// The distance of each row of `features` (`[G, C]`, unscaled) to its nearest remembered feature.
    public func distances(_ features: Tensor) throws -> [Float] {
        try bank.nearest(to: Self.scaledRows(features, by: channelScale), k: 1).distances
    }

    /// `features` with every column multiplied by its entry of `scale`.
    static func scaledRows(_ features: Tensor, by scale: Tensor) -> Tensor {
        var result = features
        let columns = scale.count
        result.storage.withUnsafeMutableBufferPointer { r in
            scale.storage.withUnsafeBufferPointer { s in
                for i in 0..<(r.count / columns) {
                    for j in 0..<columns { r[i * columns + j] *= s[j] }
                }
            }
        }
        return result
    }
}
