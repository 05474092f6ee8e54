/// Trains the SCA detector on a category's good scans (method.md, Training): normalises them,
/// encodes several augmented copies of each with the frozen encoder, then trains the head.
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
    /// augmented copies are encoded on `workers` threads.
    public static func train(
        scans: [PointCloud], encoder: PointMAEEncoder, configuration: SCAConfiguration, seed: UInt64,
        workers: Int = 1, progress: ((Progress) -> Void)? = nil
    ) throws -> SCADetector {
        var configuration = configuration
        configuration.frame.scale = ScanFrame.categoryScale(of: scans)
        let frame = configuration.frame
        let settings = configuration
        let normalised = scans.map(frame.normalise)
        let copies = configuration.augmentationsPerScan
        let root = SeededGenerator(seed: seed)
        let encoding = ScanEncoder(encoder: encoder, frame: frame, encodedPoints: configuration.encodedPoints)
        var samples = [TokenSample]()
        let total = normalised.count * copies
        try ParallelMap.inBatches(count: total, workers: workers) { index in
            var generator = root.split(stream: UInt64(index))
            let augmented = try settings.augmentation.apply(
                to: normalised[index / copies], pointCount: settings.encodedPoints, using: &generator)
            let (centers, features, _) = try encoding.encode(normalised: augmented)
            return TokenSample(features: features, centers: centers)
        } collect: { encoded, _ in
            samples += encoded
            progress?(.encoding(done: samples.count, total: total))
        }
        var headGenerator = root.split(stream: UInt64.max)
        let headSeed = headGenerator.next()
        let (head, statistics) = try DetectorHeadTrainer.train(
            samples: samples, configuration: configuration.head, seed: headSeed,
            progress: { step, steps, loss in progress?(.training(step: step, total: steps, loss: loss)) })
        configuration.statistics = statistics
        return SCADetector(configuration: configuration, encoder: encoder, head: head)
    }
}
