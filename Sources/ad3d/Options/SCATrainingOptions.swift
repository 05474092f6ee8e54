import AD3DKit
import ArgumentParser
import Foundation
import Logging

/// Settings of the main (SCA) detector for `ad3d train`.
struct SCATrainingOptions: ParsableArguments {
    @OptionGroup(visibility: .hidden) var encoderOptions: EncoderOptions

    @Option(help: ArgumentHelp("Points of a scan the encoder patches; larger scans are subsampled.", visibility: .hidden))
    var encoderPoints = 8192

    @Option(help: ArgumentHelp("Head training steps.", visibility: .hidden))
    var steps = DetectorTrainingConfiguration().steps

    @Option(help: ArgumentHelp("Peak learning rate (AdamW, cosine decay).", visibility: .hidden))
    var learningRate = DetectorTrainingConfiguration().learningRate

    @Option(help: ArgumentHelp("Augmented encodings per training scan.", visibility: .hidden))
    var augmentations = 8

    @Option(help: "Poses to expect: aligned (one pose, small tilts) or any (any orientation; scans are registered).")
    var pose: PoseAugmentation = .aligned

    @Option(help: "Move scans onto the first training scan before scoring: auto (when the poses call for it), always or never.")
    var registration: RegistrationChoice = .auto

    @Flag(help: ArgumentHelp("Not needed for single views: by default every test scan that shows much less surface than the training scans is recognised as a single view, placed on the clean surface by its features and scored with gaps only where the sensor would have seen surface. This older override trains for single-view test scans instead: half of the augmented copies become single views, no position in the memory, no coverage gaps.", visibility: .hidden))
    var partialViews = false

    @Option(help: ArgumentHelp("Scan frame: centroid (subtract the scan's centroid) or none (keep fixture coordinates). (default: none when the training scans' own coordinates agree much better than their centred copies, as for parts in a fixture seen from one side; else centroid)", visibility: .hidden))
    var frame: FrameMode?

    @Option(help: ArgumentHelp("Object score: max (largest patch score) or top1% (mean of the top 1%).", visibility: .hidden))
    var objectScore: ObjectScoreRule = .topPercent

    @Option(help: ArgumentHelp("Ablation: feature corruption, selective (regions, channel subsets) or global (all tokens).", visibility: .hidden))
    var generator: AnomalousFeatureGenerator.Mode = .selective

    @Option(help: ArgumentHelp("Ablation: discriminator, attention or perceptron (per-token MLP).", visibility: .hidden))
    var discriminator: DiscriminatorKind = .attention

    @Option(help: ArgumentHelp(
        "Strength of the synthetic feature corruption: noise std relative to each channel's std, drawn per region from LOW-HIGH.",
        valueName: "low-high", visibility: .hidden))
    var noiseScale = Self.defaultNoiseScale

    @Option(help: "Patch score: memory (distance to clean training patches), none (surface terms alone, about 4× faster), discriminator (the trained head) or combined.")
    var readout: SCAReadout = .memory

    @Option(help: ArgumentHelp("Fraction of the clean training patch features kept in the memory (greedy coreset).", visibility: .hidden))
    var memoryRatio: Float = 0.5

    @Option(help: ArgumentHelp(
        "Weight λ of a patch's position in the memory distance: a patch must resemble a clean patch near the same place (a centre shift of 1/λ of the diagonal counts as one standard deviation per channel); 0 compares features only. Needs one pose: --pose aligned, or registration. (default: \(String(format: "%g", Self.alignedPositionWeight)) for complete scans, registered or not; 0 with --partial-views, whose centroids move, and with --registration never for scans in several poses)",
        valueName: "λ", visibility: .hidden))
    var memoryPositionWeight: Float?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Add to every point's score its distance from the clean surface pooled from the training scans (after point-to-plane ICP onto it), standardised on held-out training scans (a single training scan: one half of its points against the other): bumps, dents, chips and bends move points off that surface even where patch features barely change. Used with training scans in one pose (aligned or registered), and for single views (--partial-views); not for unregistered scans in several poses.", visibility: .hidden))
    var surfaceDeviation = true

    @Flag(inversion: .prefixedNo, help: ArgumentHelp("With surface deviation, also raise the scores of points near surface the clean template has but the scan lacks (no scan point within 4 of the scan's point spacings): a hole's rim, or around a bulge, sink or bend that carried the surface away. Scores fall from 16 at the gap to 0 at 16 spacings from it; a single view (recognised by the area it shows) counts only surface its estimated sensor would have seen. Switched off by training where clean training scans leave gaps in each other (single views, occlusions), and with --partial-views.", visibility: .hidden))
    var coverageGaps = true

    @Option(help: ArgumentHelp("With surface deviation, fit a smooth warp after the rigid fit, so clean parts that differ smoothly from one another (natural products, loose tolerances) do not read as deviations, while dents, chips and cracks stay: auto (training warps when that shrinks the spread of held-out clean deviations by more than 1.6×), always or never.", visibility: .hidden))
    var nonRigid: SurfaceWarpPolicy = .auto

    @Flag(help: ArgumentHelp("Ablation: switch off the optimal-transport context aggregation.", visibility: .hidden))
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
        guard encoderPoints > 0, steps > 0, augmentations > 0, learningRate > 0 else {
            throw ValidationError("--encoder-points, --steps, --augmentations and --learning-rate must be positive.")
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

    /// Prepares the training of a detector on `scans` (`SCATrainer.prepare`: encoding the
    /// augmented copies, training the head), showing progress for `label`.
    func train(scans: [PointCloud], label: String, runtime: RuntimeOptions, logging: LoggingOptions) throws -> SCATrainingRun {
        let frame = try frameMode(for: scans, seed: runtime.seed)
        let (encoderModel, source) = try encoderOptions.load(seed: runtime.seed, fittedTo: scans, frame: frame, encodedPoints: encoderPoints)
        var head = DetectorHeadConfiguration()
        head.training.steps = steps
        head.training.learningRate = learningRate
        head.contextAggregation = !noContext
        head.discriminator = discriminator
        head.generator.mode = generator
        head.generator.noiseScale = try Self.noiseRange(noiseScale)
        let poses = try poseHandling(for: scans, frame: frame, label: label, seed: runtime.seed, logger: logging.logger)
        var augmentation = TrainingAugmentation(pose: poses.registration == .always ? .aligned : pose)
        augmentation.partialViews = partialViews
        let configuration = SCAConfiguration(
            encoder: encoderModel.configuration, encoderSource: source,
            frame: ScanFrame(mode: frame, scale: 1), encodedPoints: encoderPoints,
            augmentation: augmentation, augmentationsPerScan: augmentations,
            head: head, objectScore: objectScore, readout: readout, memoryRatio: memoryRatio,
            memoryPositionWeight: poses.positionWeight, registration: poses.registration,
            surfaceDeviation: surfaceDeviation && (poses.onePose || partialViews),
            coverageGaps: coverageGaps && !partialViews, surfaceWarp: nonRigid)
        let shows = logging.showsProgress
        let encoding = ProgressBar("\(label) encoding copies", total: readout.usesEncoder ? scans.count * augmentations : 0, enabled: shows)
        let training = ProgressBar("\(label) training steps", total: steps, enabled: shows)
        let start = ContinuousClock.now
        let run = try SCATrainer.prepare(
            scans: scans, encoder: encoderModel, configuration: configuration, seed: runtime.seed,
            workers: runtime.scanWorkers(for: scans.count * augmentations)
        ) { event in
            switch event {
            case .encoding(let done, let total):
                encoding.update(completed: done)
                guard done == total else { return }
                encoding.finish()
                logging.logger.debug("\(label): encoded \(total) copies in \(String(format: "%.2f", (ContinuousClock.now - start).seconds)) s")
            case .training(let step, let total, let loss):
                training.update(completed: step, note: String(format: "loss %.4f", loss))
                guard step == total else { return }
                training.finish()
            }
        }
        return run
    }
}

extension PoseAugmentation: ExpressibleByArgument {}
extension FrameMode: ExpressibleByArgument {}
extension ObjectScoreRule: ExpressibleByArgument {}
extension AnomalousFeatureGenerator.Mode: ExpressibleByArgument {}
extension DiscriminatorKind: ExpressibleByArgument {}
extension SCAReadout: ExpressibleByArgument {}
extension SurfaceWarpPolicy: ExpressibleByArgument {}
