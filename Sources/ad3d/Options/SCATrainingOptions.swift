import AD3DKit
import ArgumentParser
import Foundation

/// Settings of the main (SCA) detector for `ad3d train`.
struct SCATrainingOptions: ParsableArguments {
    @OptionGroup var encoderOptions: EncoderOptions

    @Option(help: "Points of a scan used for patching; larger scans are subsampled.")
    var points = 8192

    @Option(help: "Head training steps.")
    var steps = DetectorTrainingConfiguration().steps

    @Option(help: "Peak learning rate (AdamW, cosine decay).")
    var learningRate = DetectorTrainingConfiguration().learningRate

    @Option(help: "Augmented encodings per training scan.")
    var augmentations = 8

    @Option(help: "Poses to expect: aligned (one pose, small tilts) or any (any orientation: scans are registered, or with --registration never trained on randomly rotated copies).")
    var pose: PoseAugmentation = .aligned

    @Option(help: "Move scans onto the first training scan (principal axes, then ICP) before encoding, so parts in any orientation are compared place by place like aligned ones: auto (every scan with --pose any or when the training scans do not share one pose; otherwise only a scan that arrives in another pose), always, or never. Complete scans only.")
    var registration: RegistrationChoice = .auto

    @Flag(help: "Not needed for single views: by default every test scan that shows much less surface than the training scans is recognised as a single view, placed on the clean surface by its features and scored with gaps only where the sensor would have seen surface. This older override trains for single-view test scans instead: half of the augmented copies become single views, no position in the memory, no coverage gaps.")
    var partialViews = false

    @Option(help: "Scan frame: centroid (subtract the scan's centroid) or none (keep fixture coordinates). (default: none when the training scans' own coordinates agree much better than their centred copies, as for parts in a fixture seen from one side; else centroid)")
    var frame: FrameMode?

    @Option(help: "Object score: max (largest patch score) or top1% (mean of the top 1%).")
    var objectScore: ObjectScoreRule = .topPercent

    @Option(help: "Ablation: feature corruption, selective (regions, channel subsets) or global (all tokens).")
    var generator: AnomalousFeatureGenerator.Mode = .selective

    @Option(help: "Ablation: discriminator, attention or perceptron (per-token MLP).")
    var discriminator: DiscriminatorKind = .attention

    @Option(help: ArgumentHelp(
        "Strength of the synthetic feature corruption: noise std relative to each channel's std, drawn per region from LOW-HIGH.",
        valueName: "low-high"))
    var noiseScale = Self.defaultNoiseScale

    @Option(help: "Patch score: discriminator (trained head), memory (distance to clean training patches), combined (both) or none (no patch score and no encoder pass: surface deviation and coverage gaps alone score the points — the learned part switched off, for comparison, and about 4× faster; needs surface deviation).")
    var readout: SCAReadout = .memory

    @Option(help: "Fraction of the clean training patch features kept in the memory (greedy coreset).")
    var memoryRatio: Float = 0.5

    @Option(help: ArgumentHelp(
        "Weight λ of a patch's position in the memory distance: a patch must resemble a clean patch near the same place (a centre shift of 1/λ of the diagonal counts as one standard deviation per channel); 0 compares features only. Needs one pose: --pose aligned, or registration. (default: \(String(format: "%g", Self.alignedPositionWeight)) for complete scans, registered or not; 0 with --partial-views, whose centroids move, and with --registration never for scans in several poses)",
        valueName: "λ"))
    var memoryPositionWeight: Float?

    @Flag(inversion: .prefixedNo, help: "Add to every point's score its distance from the clean surface pooled from the training scans (after point-to-plane ICP onto it), standardised on held-out training scans (a single training scan: one half of its points against the other): bumps, dents, chips and bends move points off that surface even where patch features barely change. Used with training scans in one pose (aligned or registered), and for single views (--partial-views); not for unregistered scans in several poses.")
    var surfaceDeviation = true

    @Flag(inversion: .prefixedNo, help: "With surface deviation, also raise the scores of points near surface the clean template has but the scan lacks (no scan point within 4 of the scan's point spacings): a hole's rim, or around a bulge, sink or bend that carried the surface away. Scores fall from 16 at the gap to 0 at 16 spacings from it; a single view (recognised by the area it shows) counts only surface its estimated sensor would have seen. Switched off by training where clean training scans leave gaps in each other (single views, occlusions), and with --partial-views.")
    var coverageGaps = true

    @Option(help: "With surface deviation, fit a smooth warp after the rigid fit, so clean parts that differ smoothly from one another (natural products, loose tolerances) do not read as deviations, while dents, chips and cracks stay: auto (training warps when that shrinks the spread of held-out clean deviations by more than 1.6×), always or never.")
    var nonRigid: SurfaceWarpPolicy = .auto

    @Flag(help: "Ablation: switch off the optimal-transport context aggregation.")
    var noContext = false

    func validate() throws {
        _ = try Self.noiseRange(noiseScale)
        guard memoryRatio > 0, memoryRatio <= 1 else { throw ValidationError("--memory-ratio must lie in (0, 1].") }
        let weight = memoryPositionWeight ?? 0
        guard weight >= 0, weight.isFinite else {
            throw ValidationError("--memory-position-weight must be a finite number ≥ 0.")
        }
        guard registration != .always || !partialViews else {
            throw ValidationError("--registration always needs complete scans: a single view cannot be registered onto a whole part.")
        }
        guard weight == 0 || pose == .aligned || registration != .never else {
            throw ValidationError("--memory-position-weight needs --pose aligned or registration: under random rotations a patch's position says nothing.")
        }
        guard readout.usesEncoder || surfaceDeviation else {
            throw ValidationError("--readout none scores points by surface deviation alone; it cannot be combined with --no-surface-deviation.")
        }
        guard points > 0, steps > 0, augmentations > 0, learningRate > 0 else {
            throw ValidationError("--points, --steps, --augmentations and --learning-rate must be positive.")
        }
    }

    /// The generator's default noise range, as the option spells it.
    static var defaultNoiseScale: String {
        let range = AnomalousFeatureGenerator.Configuration().noiseScale
        return "\(range.lowerBound)-\(range.upperBound)"
    }

    /// `--noise-scale` as a range of non-negative factors.
    static func noiseRange(_ text: String) throws -> ClosedRange<Float> {
        let range = try RangeArgument.parse(text, name: "--noise-scale")
        guard range.lowerBound >= 0 else { throw ValidationError("--noise-scale: factors must not be negative, got '\(text)'.") }
        return Float(range.lowerBound)...Float(range.upperBound)
    }

    /// `--frame`, or the frame the training `scans` call for (`ScanAlignment.preferredFrame`).
    func frameMode(for scans: [PointCloud], seed: UInt64) throws -> FrameMode {
        try frame ?? ScanAlignment.preferredFrame(of: scans, seed: seed)
    }

    /// Prepares the training of a detector on `scans` (encoding, head), showing progress for `label`.
    func train(scans: [PointCloud], label: String, runtime: RuntimeOptions) throws -> SCATrainingRun {
        let frame = try frameMode(for: scans, seed: runtime.seed)
        let (encoderModel, source) = try encoderOptions.load(seed: runtime.seed, fittedTo: scans, frame: frame, encodedPoints: points)
        var head = DetectorHeadConfiguration()
        head.training.steps = steps
        head.training.learningRate = learningRate
        head.contextAggregation = !noContext
        head.discriminator = discriminator
        head.generator.mode = generator
        head.generator.noiseScale = try Self.noiseRange(noiseScale)
        let poses = try poseHandling(for: scans, frame: frame, label: label, seed: runtime.seed)
        var augmentation = TrainingAugmentation(pose: poses.registration == .always ? .aligned : pose)
        augmentation.partialViews = partialViews
        let configuration = SCAConfiguration(
            encoder: encoderModel.configuration, encoderSource: source,
            frame: ScanFrame(mode: frame, scale: 1), encodedPoints: points,
            augmentation: augmentation, augmentationsPerScan: augmentations,
            head: head, objectScore: objectScore, readout: readout, memoryRatio: memoryRatio,
            memoryPositionWeight: poses.positionWeight, registration: poses.registration,
            surfaceDeviation: surfaceDeviation && (poses.onePose || partialViews),
            coverageGaps: coverageGaps && !partialViews, surfaceWarp: nonRigid)
        let encoding = ProgressBar("\(label) encoding", total: readout.usesEncoder ? scans.count * augmentations : 0)
        let training = ProgressBar("\(label) training", total: steps)
        defer { training.finish() }
        return try SCATrainer.prepare(
            scans: scans, encoder: encoderModel, configuration: configuration, seed: runtime.seed,
            workers: runtime.scanWorkers(for: scans.count * augmentations)
        ) { event in
            switch event {
            case .encoding(let done, let total):
                encoding.advance(by: 1, note: "\(done)/\(total)")
                if done == total { encoding.finish() }
            case .training(_, _, let loss):
                training.advance(note: String(format: "loss %.4f", loss))
            }
        }
    }
}

extension PoseAugmentation: ExpressibleByArgument {}
extension FrameMode: ExpressibleByArgument {}
extension ObjectScoreRule: ExpressibleByArgument {}
extension AnomalousFeatureGenerator.Mode: ExpressibleByArgument {}
extension DiscriminatorKind: ExpressibleByArgument {}
extension SCAReadout: ExpressibleByArgument {}
extension SurfaceWarpPolicy: ExpressibleByArgument {}
