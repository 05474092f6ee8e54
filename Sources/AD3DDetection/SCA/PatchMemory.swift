import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// A memory of clean training patch features (a greedy coreset of the encoded augmented training
/// copies): a test patch unlike every remembered one is anomalous, whatever the discriminator
/// learned. Channels are divided by their standard deviation over the training features (so no
/// channel dominates the distance); distances are standardised by those of held-out clean copies.
/// With a position weight λ > 0 each patch is keyed by its features and its centre: the distance is
/// that of `[scaled features, λ·√C·centre]`, so a patch must look like a clean patch *near the
/// same place* of the part (aligned scans); a centre shift of 1/λ of the part's diagonal costs as
/// much as one standard deviation in every channel.
public struct PatchMemory: Sendable {
    /// Name of the memory's (scaled) features in a checkpoint.
    static let tensorName = "memory.features"
    /// Name of the per-channel scale in a checkpoint.
    static let scaleName = "memory.channel_scale"

    /// The remembered keys (scaled features, then the weighted centre when λ > 0), `[B, C (+3)]`.
    public let bank: NearestNeighborBank
    /// The factor applied to each channel before comparing, `[C]`.
    public let channelScale: Tensor
    /// λ, the weight of the patch centre in the distance (0: features only).
    public let positionWeight: Float

    /// A memory holding `keys` (`[B ≥ 1, C]`, or `[B, C + 3]` when `positionWeight` > 0, as
    /// `keys(features:centers:channelScale:positionWeight:)` makes them) with the per-channel `channelScale` `[C]`.
    public init(keys: Tensor, channelScale: Tensor, positionWeight: Float = 0) {
        precondition(keys.shape[1] == Self.keyWidth(channels: channelScale.count, positionWeight: positionWeight),
                     "memory keys \(keys.shape) do not match \(channelScale.count) channels and λ \(positionWeight)")
        bank = NearestNeighborBank(features: keys)
        self.channelScale = channelScale
        self.positionWeight = positionWeight
    }

    /// Width of a key: the C channels, plus the 3 centre coordinates when λ > 0.
    public static func keyWidth(channels: Int, positionWeight: Float) -> Int {
        channels + (positionWeight > 0 ? 3 : 0)
    }

    /// The memory of `features` (`[N, C]`) at `centers` (`[N, 3]`) reduced to a greedy coreset of
    /// `ratio · N` rows, and the statistics of the distances of `calibration` patches (clean, not in
    /// the memory) to it.
    public static func build(
        features: Tensor, centers: Tensor, ratio: Float, positionWeight: Float,
        calibration: (features: Tensor, centers: Tensor), seed: UInt64
    ) throws -> (memory: PatchMemory, statistics: ScoreStatistics) {
        let deviations = ColumnStatistics(rowsOf: [features]).deviations
        let scale = Tensor(shape: [features.shape[1]], storage: deviations.map { $0 > 1e-12 ? Float(1 / $0) : 1 })
        let keys = Self.keys(features: features, centers: centers, channelScale: scale, positionWeight: positionWeight)
        let kept = try GreedyCoreset.select(keys, ratio: ratio, projectionDimension: 128, seed: seed)
        let memory = PatchMemory(keys: keys.gatherRows(kept), channelScale: scale, positionWeight: positionWeight)
        return (memory, ScoreStatistics(of: try memory.distances(calibration.features, centers: calibration.centers)))
    }

    /// The distance of each patch (`features` `[G, C]` unscaled, `centers` `[G, 3]`) to its nearest
    /// remembered patch.
    public func distances(_ features: Tensor, centers: Tensor) throws -> [Float] {
        try bank.nearest(
            to: Self.keys(features: features, centers: centers, channelScale: channelScale, positionWeight: positionWeight), k: 1
        ).distances
    }

    /// The keys of patches: every feature column multiplied by its entry of `channelScale` `[C]`,
    /// then (λ > 0) the centre times λ·√C.
    static func keys(features: Tensor, centers: Tensor, channelScale: Tensor, positionWeight: Float) -> Tensor {
        let columns = channelScale.count, rows = features.shape[0]
        let width = keyWidth(channels: columns, positionWeight: positionWeight)
        precondition(features.shape == [rows, columns] && centers.shape == [rows, 3], "features \(features.shape), centres \(centers.shape)")
        let centerScale = positionWeight * Float(columns).squareRoot()
        let f = features.storage, s = channelScale.storage, c = centers.storage
        var keys = [Float](repeating: 0, count: rows * width)
        for i in 0..<rows {
            for j in 0..<columns { keys[i * width + j] = f[i * columns + j] * s[j] }
            for axis in 0..<(width - columns) { keys[i * width + columns + axis] = centerScale * c[3 * i + axis] }
        }
        return Tensor(shape: [rows, width], storage: keys)
    }
}
