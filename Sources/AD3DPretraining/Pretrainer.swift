import AD3DModels
import AD3DNN
import AD3DSupport
import AD3DTensor
import Foundation

/// What a pretraining run reports after every step.
public struct PretrainingProgress: Sendable {
    /// Steps completed.
    public var step: Int
    /// Steps of the whole run.
    public var totalSteps: Int
    /// This step's training loss.
    public var loss: Float
    /// The learning rate this step used.
    public var learningRate: Float
}

/// Masked-autoencoder pretraining of the Point-MAE encoder: mini-batches of
/// crops from a shape source, AdamW with warm-up and cosine decay, BatchNorm running estimates,
/// a fixed validation set, a loss log and resumable state.
///
/// Everything random derives from the seed by stream: sample `i` of step `s` uses
/// `root.split(2).split(s).split(i)`, validation sample `i` `root.split(3).split(i)`, so a step's
/// data does not depend on the number of workers or on where a run was resumed.
public struct Pretrainer {
    /// The run's settings.
    public let configuration: PretrainingConfiguration
    /// The model being trained.
    public internal(set) var model: MaskedAutoencoder
    /// The optimiser and its moments.
    public internal(set) var optimizer: AdamW
    /// Steps completed.
    public internal(set) var step = 0
    /// The log rows written so far.
    public internal(set) var log: [PretrainingLogRow] = []
    /// Training losses since the last log row (sum in `Double`, count).
    var interval = (sum: 0.0, count: 0)
    /// The held-out samples, fixed masks included.
    public let validation: [PretrainingSample]
    let source: any PretrainingShapeSource
    let workers: Int

    /// A fresh run: the encoder initialised as Point-MAE's from the seed, the decoder from its own stream.
    public init(configuration: PretrainingConfiguration, source: any PretrainingShapeSource, workers: Int) throws {
        try configuration.validate()
        self.configuration = configuration
        self.source = source
        self.workers = max(1, workers)
        let encoder = try PretrainingEncoder(PointMAEEncoder(configuration: configuration.encoder, seed: configuration.seed))
        var generator = Self.stream(configuration.seed, 1)
        let decoder = PretrainingDecoder(
            encoder: configuration.encoder, depth: configuration.decoderDepth, groupSize: configuration.groupSize, generator: &generator)
        model = MaskedAutoencoder(encoder: encoder, decoder: decoder)
        optimizer = AdamW(weightDecay: configuration.weightDecay)
        let sampler = PretrainingSampler(configuration: configuration)
        let seed = configuration.seed
        validation = try ParallelMap.map(count: configuration.validationCount, workers: self.workers) { index in
            var generator = Self.stream(seed, 3).split(stream: UInt64(index))
            return try sampler.sample(from: source, using: &generator)
        }
    }

    /// The generator of stream `stream` under `seed`.
    static func stream(_ seed: UInt64, _ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed).split(stream: stream)
    }

    /// The samples of step `step`, generated in parallel.
    func batch(at step: Int) throws -> [PretrainingSample] {
        let sampler = PretrainingSampler(configuration: configuration)
        let (seed, source) = (configuration.seed, source)
        return try ParallelMap.map(count: configuration.batchSize, workers: workers) { index in
            var generator = Self.stream(seed, 2).split(stream: UInt64(step)).split(stream: UInt64(index))
            return try sampler.sample(from: source, using: &generator)
        }
    }

    /// One optimiser step on the next batch (its loss).
    public mutating func trainStep(samples: [PretrainingSample]? = nil) throws -> PretrainingProgress {
        let samples = try samples ?? batch(at: step)
        let tape = Tape()
        let (loss, statistics) = model.loss(
            samples, tape: tape, training: true, encodingMaskedPatches: configuration.encodingMaskedPatches,
            consistencyWeight: configuration.consistencyWeight)
        tape.backward(from: loss)
        let learningRate = configuration.schedule.learningRate(at: step)
        optimizer.step(&model, gradients: tape.parameterGradients(), learningRate: learningRate)
        model.updateRunningStatistics(statistics)
        step += 1
        let value = loss.value.storage[0]
        interval = (interval.sum + Double(value), interval.count + 1)
        return PretrainingProgress(step: step, totalSteps: configuration.steps, loss: value, learningRate: learningRate)
    }

    /// The mean Chamfer-L2 loss on the validation set in evaluation mode (nil without a validation set).
    public func validationLoss() -> Double? {
        guard !validation.isEmpty else { return nil }
        var total = 0.0
        for start in stride(from: 0, to: validation.count, by: configuration.batchSize) {
            let chunk = Array(validation[start..<min(start + configuration.batchSize, validation.count)])
            let tape = Tape(isRecording: false)
            let loss = model.loss(chunk, tape: tape, training: false).loss.value.storage[0]
            total += Double(loss) * Double(chunk.count)
        }
        return total / Double(validation.count)
    }

    /// The validation loss of the trivial prediction that puts every masked point at its group's
    /// centre: the floor a model must get under to have learnt anything about shape (nil without
    /// a validation set).
    public func validationBaseline() -> Double? {
        guard !validation.isEmpty else { return nil }
        let tape = Tape(isRecording: false)
        let total = validation.reduce(0.0) { sum, sample in
            let target = sample.neighborhoods.gatherRows(sample.maskedGroups)
            let zeros = tape.constant(Tensor(shape: target.shape))
            return sum + Double(zeros.chamferL2(target: target, groupSize: configuration.groupSize).value.storage[0])
        }
        return total / Double(validation.count)
    }

    /// Appends a log row for the current step (mean training loss since the previous row) and
    /// evaluates the validation set when `validating`.
    public mutating func recordLogRow(validating: Bool) {
        let learningRate = step > 0 ? configuration.schedule.learningRate(at: step - 1) : 0
        let trainLoss = interval.count > 0 ? interval.sum / Double(interval.count) : nil
        log.append(PretrainingLogRow(
            step: step, learningRate: learningRate, trainLoss: trainLoss, validationLoss: validating ? validationLoss() : nil))
        interval = (0, 0)
    }

    /// The frozen encoder with the trained weights and the grouping of `configuration.encoder`.
    public func trainedEncoder() throws -> PointMAEEncoder {
        try model.encoder.encoder()
    }
}
