import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor

/// Trains the SCA detector on a category's good scans: normalises them
/// (registering them onto the first as the configuration's registration policy says), encodes
/// several augmented copies of each with the frozen encoder (unless the read-out uses no patch
/// score), then trains the head and builds the patch memory and the surface template its read-out uses.
public enum SCATrainer {
    /// What the trainer reports while it works.
    public enum Progress: Sendable {
        /// `done` of `total` augmented copies encoded.
        case encoding(done: Int, total: Int)
        /// Head training step `step` of `total`, with the step's loss.
        case training(step: Int, total: Int, loss: Float)
    }

    /// Trains a detector on `scans` with the frozen `encoder`; `configuration` gives every
    /// setting (its frame scale and statistics are measured here). Deterministic for `seed`;
    /// augmented copies are encoded on `workers` threads. Throws when the configuration leaves
    /// nothing to score with (read-out `.none` without surface deviation).
    public static func train(
        scans: [PointCloud], encoder: PointMAEEncoder, configuration: SCAConfiguration, seed: UInt64,
        workers: Int = 1, progress: ((Progress) -> Void)? = nil
    ) throws -> SCADetector {
        try prepare(scans: scans, encoder: encoder, configuration: configuration, seed: seed, workers: workers, progress: progress)
            .detector(trainedOn: Array(scans.indices))
    }

    /// Does the work shared by a detector and the detectors trained on subsets of its scans (which
    /// calibrate its scores, `ScoreCalibrator`): normalises and registers the scans, encodes their
    /// augmented copies and trains the head on all of them. Arguments as for `train`.
    public static func prepare(
        scans: [PointCloud], encoder: PointMAEEncoder, configuration: SCAConfiguration, seed: UInt64,
        workers: Int = 1, progress: ((Progress) -> Void)? = nil
    ) throws -> SCATrainingRun {
        guard configuration.scoresPoints else {
            throw SCATrainingError.nothingToScore
        }
        var configuration = configuration
        configuration.frame.scale = ScanFrame.categoryScale(of: scans)
        let frame = configuration.frame
        let settings = configuration
        let framed = scans.map(frame.normalise)
        let registration = configuration.registration.needsReference
            ? try RigidRegistration(reference: Downsampling.fixedSubset(framed[0], count: configuration.encodedPoints)) : nil
        let normalised = try framed.map { try settings.registration.apply(registration, to: $0) }
        let copies = configuration.augmentationsPerScan
        let root = SeededGenerator(seed: seed)
        let encoding = ScanEncoder(encoder: encoder, frame: frame, encodedPoints: configuration.encodedPoints)
        var samples = [TokenSample]()
        let total = configuration.readout.usesEncoder ? normalised.count * copies : 0
        try ParallelMap.inBatches(count: total, workers: workers) { index in
            var generator = root.split(stream: UInt64(index))
            let augmented = try settings.augmentation.apply(
                to: normalised[index / copies], copy: index % copies, pointCount: settings.encodedPoints, using: &generator)
            // A single view is re-framed on its own, as a partial test scan would be.
            let framed = settings.augmentation.partialViews ? ScanFrame(mode: frame.mode, scale: 1).normalise(augmented) : augmented
            let (centers, features, _) = try encoding.encode(normalised: framed)
            return TokenSample(features: features, centers: centers)
        } collect: { encoded, _ in
            samples += encoded
            progress?(.encoding(done: samples.count, total: total))
        }
        var headGenerator = root.split(stream: UInt64.max)
        let headSeed = headGenerator.next()
        var head: DetectorHead?
        if configuration.readout.usesDiscriminator {
            let (trained, statistics) = try DetectorHeadTrainer.train(
                samples: samples, configuration: configuration.head, seed: headSeed,
                progress: { step, steps, loss in progress?(.training(step: step, total: steps, loss: loss)) })
            head = trained
            configuration.statistics = statistics
        }
        return SCATrainingRun(
            configuration: configuration, encoder: encoder, head: head, registration: registration, normalisedScans: normalised,
            samples: samples, memorySeed: headGenerator.next())
    }
}
