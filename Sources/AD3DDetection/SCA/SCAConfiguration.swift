import AD3DModels
import AD3DSupport

/// How the object score is read off the patch scores.
public enum ObjectScoreRule: String, Sendable, Codable, CaseIterable {
    /// The largest patch score.
    case max
    /// The mean of the top 1% of patch scores (at least one).
    case topPercent = "top1%"

    /// The object score of `scores` (non-empty).
    public func objectScore(of scores: [Float]) -> Float {
        switch self {
        case .max:
            return scores.max() ?? 0
        case .topPercent:
            let count = Swift.max(1, scores.count / 100)
            let top = scores.sorted(by: >).prefix(count)
            return top.reduce(0, +) / Float(top.count)
        }
    }
}

/// Everything that defines a trained SCA detector besides its tensors: the encoder's shape,
/// the scan normalisation, the head's configuration, how scores are read out, and the
/// statistics of the clean training logits used to standardise scores.
public struct SCAConfiguration: Sendable, Codable, Equatable {
    /// The frozen Point-MAE encoder's configuration (its group count and size set the patching).
    public var encoder: PointMAEConfiguration
    /// Where the encoder's weights came from (a file name, or a seeded random initialisation).
    public var encoderSource: String
    /// The scan normalisation, with the category scale measured on the training scans.
    public var frame: ScanFrame
    /// Scans with more points are randomly subsampled to this many before patching.
    public var encodedPoints: Int
    /// The random changes applied to training scans.
    public var augmentation: TrainingAugmentation
    /// Encoded augmented copies per training scan.
    public var augmentationsPerScan: Int
    /// The trained head (adaptor, context aggregation, discriminator) and its training settings.
    public var head: DetectorHeadConfiguration
    /// How patch scores reach the points.
    public var interpolation: PatchScoreInterpolation
    /// How the object score is computed.
    public var objectScore: ObjectScoreRule
    /// Mean and standard deviation of the clean training logits.
    public var statistics: ScoreStatistics
    /// Which scores make a patch's score: discriminator, memory or both.
    public var readout: SCAReadout
    /// Fraction of the clean training features kept (greedy coreset) in the patch memory.
    public var memoryRatio: Float
    /// λ: weight of the patch centre in the memory distance (0: features only; see `PatchMemory`).
    public var memoryPositionWeight: Float
    /// Mean and standard deviation of held-out clean features' memory distances.
    public var memoryStatistics: ScoreStatistics
    /// Which scans are registered onto the reference training scan (`RigidRegistration`) after
    /// normalisation, so parts in another pose are compared in the training frame.
    public var registration: RegistrationPolicy
    /// Whether every point's deviation from the clean surface of the training scans
    /// (`SurfaceTemplate`) joins its score (training scans in one pose).
    public var surfaceDeviation: Bool
    /// Mean and standard deviation of held-out clean training scans' surface deviations (with one
    /// training scan, of one half of its points against the other).
    public var surfaceStatistics: ScoreStatistics
    /// Whether points near surface the template has but the scan lacks (`CoverageGaps`) score
    /// higher too (with surface deviation, for complete test scans).
    public var coverageGaps: Bool
    /// Whether the surface template fits a smooth warp after the rigid fit (`SurfaceWarpPolicy`):
    /// asked for before training, `.always` or `.never` once training has decided.
    public var surfaceWarp: SurfaceWarpPolicy
    /// Mean area the training scans show (`ScanArea`, model units²): a scan showing well under it
    /// is a single view. 0 (models written before single views were recognised): never by area.
    public var trainingArea: Float
    /// Whether, where clean training scans leave each other gaps (single views, a fixture), gaps
    /// count only surface each scan's estimated sensor would have seen (`ViewGaps`).
    public var viewCoverageGaps: Bool

    /// A configuration from its parts; `head.inputDimensions` follows the encoder's feature width.
    public init(
        encoder: PointMAEConfiguration, encoderSource: String, frame: ScanFrame, encodedPoints: Int,
        augmentation: TrainingAugmentation, augmentationsPerScan: Int, head: DetectorHeadConfiguration,
        interpolation: PatchScoreInterpolation = PatchScoreInterpolation(), objectScore: ObjectScoreRule = .topPercent,
        statistics: ScoreStatistics = ScoreStatistics(mean: 0, standardDeviation: 1),
        readout: SCAReadout = .memory, memoryRatio: Float = 0.5, memoryPositionWeight: Float = 0,
        memoryStatistics: ScoreStatistics = ScoreStatistics(mean: 0, standardDeviation: 1), registration: RegistrationPolicy = .never,
        surfaceDeviation: Bool = false, surfaceStatistics: ScoreStatistics = ScoreStatistics(mean: 0, standardDeviation: 1),
        coverageGaps: Bool = false, surfaceWarp: SurfaceWarpPolicy = .never, trainingArea: Float = 0,
        viewCoverageGaps: Bool = false
    ) {
        self.encoder = encoder
        self.encoderSource = encoderSource
        self.frame = frame
        self.encodedPoints = encodedPoints
        self.augmentation = augmentation
        self.augmentationsPerScan = augmentationsPerScan
        self.head = head
        self.head.inputDimensions = encoder.featureDimensions
        self.interpolation = interpolation
        self.objectScore = objectScore
        self.statistics = statistics
        self.readout = readout
        self.memoryRatio = memoryRatio
        self.memoryPositionWeight = memoryPositionWeight
        self.memoryStatistics = memoryStatistics
        self.registration = registration
        self.surfaceDeviation = surfaceDeviation
        self.surfaceStatistics = surfaceStatistics
        self.coverageGaps = coverageGaps
        self.surfaceWarp = surfaceWarp
        self.trainingArea = trainingArea
        self.viewCoverageGaps = viewCoverageGaps
    }

    /// Whether anything scores the points: a read-out with patch scores, or surface deviation
    /// (read-out `.none` has nothing else).
    public var scoresPoints: Bool { readout.usesEncoder || surfaceDeviation }
}

extension SCAConfiguration {
    /// Decodes a configuration; models written before the position-aware memory have no
    /// `memoryPositionWeight` and compare features only (λ 0), those written before registration
    /// have no `registration` and do not register, those written before the surface template have no
    /// `surfaceDeviation` and score without it, those written before coverage gaps have no
    /// `coverageGaps` and score without them, and those written before the non-rigid template
    /// have no `surfaceWarp` and fit rigidly, and those written before single views were recognised
    /// have no `trainingArea` and take a scan for a view only when it leaves most of the template
    /// uncovered (nor `viewCoverageGaps`: no gaps where clean training scans leave each other gaps).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            encoder: try container.decode(PointMAEConfiguration.self, forKey: .encoder),
            encoderSource: try container.decode(String.self, forKey: .encoderSource),
            frame: try container.decode(ScanFrame.self, forKey: .frame),
            encodedPoints: try container.decode(Int.self, forKey: .encodedPoints),
            augmentation: try container.decode(TrainingAugmentation.self, forKey: .augmentation),
            augmentationsPerScan: try container.decode(Int.self, forKey: .augmentationsPerScan),
            head: try container.decode(DetectorHeadConfiguration.self, forKey: .head),
            interpolation: try container.decode(PatchScoreInterpolation.self, forKey: .interpolation),
            objectScore: try container.decode(ObjectScoreRule.self, forKey: .objectScore),
            statistics: try container.decode(ScoreStatistics.self, forKey: .statistics),
            readout: try container.decode(SCAReadout.self, forKey: .readout),
            memoryRatio: try container.decode(Float.self, forKey: .memoryRatio),
            memoryPositionWeight: try container.decodeIfPresent(Float.self, forKey: .memoryPositionWeight) ?? 0,
            memoryStatistics: try container.decode(ScoreStatistics.self, forKey: .memoryStatistics),
            registration: try container.decodeIfPresent(RegistrationPolicy.self, forKey: .registration) ?? .never,
            surfaceDeviation: try container.decodeIfPresent(Bool.self, forKey: .surfaceDeviation) ?? false,
            surfaceStatistics: try container.decodeIfPresent(ScoreStatistics.self, forKey: .surfaceStatistics)
                ?? ScoreStatistics(mean: 0, standardDeviation: 1),
            coverageGaps: try container.decodeIfPresent(Bool.self, forKey: .coverageGaps) ?? false,
            surfaceWarp: try container.decodeIfPresent(SurfaceWarpPolicy.self, forKey: .surfaceWarp) ?? .never,
            trainingArea: try container.decodeIfPresent(Float.self, forKey: .trainingArea) ?? 0,
            viewCoverageGaps: try container.decodeIfPresent(Bool.self, forKey: .viewCoverageGaps) ?? false)
    }
}
