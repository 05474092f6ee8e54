import Foundation

/// Hyper-parameters of the Point-MAE encoder (Pang et al., ECCV 2022)
/// and of the grouping that feeds it.
///
/// Forward cost (§8 formula, one cloud) of the presets:
/// `.official` 95.15 GFLOP (G 1024, K 32), `.small` 16.85 GFLOP (G 512, K 32), `.tiny` 6.46 GFLOP
/// (G 256, K 32). Parameters: 21,825,024 / 3,087,360 / 1,171,968 (plus 1,280 BatchNorm statistics).
public struct PointMAEConfiguration: Codable, Sendable, Equatable {
    /// Model width D (`trans_dim`).
    public var dimension: Int
    /// Number of transformer blocks L.
    public var depth: Int
    /// Attention heads H; D must be a multiple of H.
    public var headCount: Int
    /// Patch-token width C (`encoder_dims`); the pretrained model has no projection, so C = D.
    public var encoderDimensions: Int
    /// Groups G taken by farthest-point sampling in `PointMAEEncoder.encode`.
    public var groupCount: Int
    /// Points per group K.
    public var groupSize: Int
    /// 0-based indices of the blocks whose outputs form the features, increasing.
    public var taps: [Int]
    /// BatchNorm ε of the patch encoder (PyTorch default).
    public var batchNormEpsilon: Float
    /// LayerNorm ε of the transformer (PyTorch default; timm's ViT would use 1e-6).
    public var layerNormEpsilon: Float

    /// Hidden widths of the mini-PointNet (`first_conv`, the per-point feature, `second_conv`); fixed, not scaled with D.
    public static let patchHiddenDimensions = (first: 128, feature: 256, second: 512)
    /// Hidden width of the positional MLP.
    public static let positionHiddenDimensions = 128
    /// MLP expansion of every block (hidden = 4D).
    public static let mlpRatio = 4
    /// The `format` metadata value of an encoder checkpoint.
    public static let checkpointFormat = "pointmae-encoder-v1"

    /// A configuration; `taps` defaults to `defaultTaps(depth:)` and C to D.
    public init(
        dimension: Int, depth: Int, headCount: Int, groupCount: Int, groupSize: Int, taps: [Int]? = nil,
        batchNormEpsilon: Float = 1e-5, layerNormEpsilon: Float = 1e-5
    ) {
        self.dimension = dimension
        self.depth = depth
        self.headCount = headCount
        self.encoderDimensions = dimension
        self.groupCount = groupCount
        self.groupSize = groupSize
        self.taps = taps ?? Self.defaultTaps(depth: depth)
        self.batchNormEpsilon = batchNormEpsilon
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// The released ShapeNet-55 model: D 384, L 12, H 6, taps 3/7/11; grouping G 1024, K 32.
    public static let official = PointMAEConfiguration(dimension: 384, depth: 12, headCount: 6, groupCount: 1024, groupSize: 32)
    /// Half width and depth: D 192, L 6, H 3, taps 1/3/5; G 512, K 32.
    public static let small = PointMAEConfiguration(dimension: 192, depth: 6, headCount: 3, groupCount: 512, groupSize: 32)
    /// A model for quick experiments: D 128, L 4, H 4, taps 0/1/3; G 256, K 32.
    public static let tiny = PointMAEConfiguration(dimension: 128, depth: 4, headCount: 4, groupCount: 256, groupSize: 32)

    /// The AD taps (L/3 − 1, 2L/3 − 1, L − 1) with integer division, dropping negatives and repeats
    /// (3, 7, 11 for L = 12; 1, 3, 5 for L = 6).
    public static func defaultTaps(depth: Int) -> [Int] {
        Array(Set([depth / 3 - 1, 2 * depth / 3 - 1, depth - 1].filter { $0 >= 0 })).sorted()
    }

    /// Per-head width d_h = D / H.
    public var headDimensions: Int { dimension / headCount }

    /// Width of the concatenated features, T·D.
    public var featureDimensions: Int { taps.count * dimension }

    /// Learned parameters of the encoder (§8): 297,984 + 644·D + L·(12D² + 10D); BatchNorm running
    /// statistics are not counted.
    public var parameterCount: Int {
        297_984 + 644 * dimension + depth * (12 * dimension * dimension + 10 * dimension)
    }

    /// FLOPs of one forward pass on `groupCount` groups of `groupSize` points by the §8 formula
    /// (2 per multiply-add; matmuls and convolutions only), as `torch.utils.flop_counter` counts them.
    public var forwardFLOPs: Int {
        let (g, k, d) = (groupCount, groupSize, dimension)
        return g * k * (590_592 + 1024 * d) + g * (768 + 256 * d) + depth * (24 * g * d * d + 4 * g * g * d)
    }

    /// FLOPs this implementation actually spends: `forwardFLOPs` minus the global half of the
    /// 512→512 layer, computed once per group instead of once per point (§8).
    public var executedFLOPs: Int {
        forwardFLOPs - 2 * 256 * 512 * groupCount * (groupSize - 1)
    }

    /// Throws `PointMAEWeightsError.invalidConfiguration` unless every size is positive, H divides D,
    /// C equals D and the taps are increasing block indices.
    public func validate() throws {
        func fail(_ reason: String) -> PointMAEWeightsError { .invalidConfiguration(reason: reason) }
        for (name, value) in [("dimension", dimension), ("depth", depth), ("headCount", headCount),
                              ("groupCount", groupCount), ("groupSize", groupSize)] where value < 1 {
            throw fail("\(name) must be at least 1, got \(value)")
        }
        guard dimension % headCount == 0 else { throw fail("dimension \(dimension) is not a multiple of headCount \(headCount)") }
        guard encoderDimensions == dimension else {
            throw fail("encoderDimensions \(encoderDimensions) must equal dimension \(dimension) (the model has no projection)")
        }
        guard !taps.isEmpty, taps.allSatisfy({ (0..<depth).contains($0) }), taps == Array(Set(taps)).sorted() else {
            throw fail("taps \(taps) must be increasing block indices in 0..<\(depth)")
        }
        guard batchNormEpsilon > 0, layerNormEpsilon > 0 else { throw fail("epsilons must be positive") }
    }

    private enum CodingKeys: String, CodingKey {
        case dimension, depth, headCount, encoderDimensions, groupCount, groupSize, taps, batchNormEpsilon, layerNormEpsilon
    }

    /// Decodes a configuration; everything but `dimension`, `depth` and `headCount` has a default
    /// (C = D, G 1024, K 32, default taps, ε 1e-5).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let dimension = try container.decode(Int.self, forKey: .dimension)
        let depth = try container.decode(Int.self, forKey: .depth)
        self.init(
            dimension: dimension, depth: depth, headCount: try container.decode(Int.self, forKey: .headCount),
            groupCount: try container.decodeIfPresent(Int.self, forKey: .groupCount) ?? 1024,
            groupSize: try container.decodeIfPresent(Int.self, forKey: .groupSize) ?? 32,
            taps: try container.decodeIfPresent([Int].self, forKey: .taps),
            batchNormEpsilon: try container.decodeIfPresent(Float.self, forKey: .batchNormEpsilon) ?? 1e-5,
            layerNormEpsilon: try container.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-5)
        encoderDimensions = try container.decodeIfPresent(Int.self, forKey: .encoderDimensions) ?? dimension
    }
}
