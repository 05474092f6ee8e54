import AD3DNN
import AD3DSupport
import AD3DTensor
import Foundation

/// One training scan's frozen encoder output: a token per patch and the patch centres.
public struct TokenSample: Sendable {
    /// Encoder features `[G, C]`.
    public var features: Tensor
    /// Patch centres `[G, 3]` in normalised coordinates.
    public var centers: Tensor

    /// A sample from its tensors.
    public init(features: Tensor, centers: Tensor) {
        self.features = features
        self.centers = centers
    }
}

/// Trains a `DetectorHead` on encoded good scans (method Training): each step takes a mini-batch,
/// scores a clean and an SAFG-corrupted copy of each sample, and takes an AdamW step (cosine
/// schedule) on the balanced per-token binary cross-entropy.
public enum DetectorHeadTrainer {
    /// Trains from `seed` (deterministic for it); `progress` gets `(step, total, loss)` after each step.
    public static func train(
        samples: [TokenSample], configuration: DetectorHeadConfiguration, seed: UInt64,
        progress: ((Int, Int, Float) -> Void)? = nil
    ) throws(DetectorHeadError) -> (head: DetectorHead, statistics: ScoreStatistics) {
        guard !samples.isEmpty else { throw .noSamples }
        let root = SeededGenerator(seed: seed)
        var initialization = root.split(stream: 0)
        var head = try DetectorHead(configuration: configuration, seed: initialization.next())
        for (index, sample) in samples.enumerated() {
            try head.validate(features: sample.features, centers: sample.centers, sample: index)
        }
        let settings = configuration.training
        // Frozen-encoder features share a large per-channel offset (LayerNorm outputs of similar
        // patches); unstandardised, the head sat at ln 2 on real scans and never learned.
        standardizeInputs(of: &head.adaptor.perceptron.fc1, samples: samples)
        if head.context.prototypes != nil {
            var generator = root.split(stream: 1)
            head.context.prototypes = initialPrototypes(head: head, samples: samples, generator: &generator)
        }
        var order = BatchOrder(sampleCount: samples.count, generator: root.split(stream: 2))
        var noise = root.split(stream: 3)
        let corruptor = AnomalousFeatureGenerator(configuration: configuration.generator)
        var optimizer = AdamW(weightDecay: settings.weightDecay)
        let schedule = CosineSchedule(
            peak: settings.learningRate, minimum: settings.learningRate * settings.minimumLearningRateFactor,
            warmupSteps: settings.warmupSteps, totalSteps: settings.steps)
        for step in 0..<settings.steps {
            let batch = order.next(settings.batchSize).map { samples[$0] }
            let tape = Tape()
            let loss = trainingLoss(head: head, batch: batch, corruptor: corruptor, balance: settings.balancePositives,
                                    scope: ParameterScope(tape: tape), generator: &noise)
            tape.backward(from: loss)
            optimizer.step(&head, gradients: tape.parameterGradients(), learningRate: schedule.learningRate(at: step))
            progress?(step + 1, settings.steps, loss.value.storage[0])
        }
        var cleanLogits: [Float] = []
        for sample in samples { cleanLogits += try head.logits(features: sample.features, centers: sample.centers) }
        return (head, ScoreStatistics(of: cleanLogits))
    }

    /// Folds a per-channel standardisation `(f − μ_c) / σ_c` of the training features into the
    /// weights of `layer` (the adaptor's first), so the trained head needs no extra tensors.
    static func standardizeInputs(of layer: inout Linear, samples: [TokenSample]) {
        let width = layer.weight.shape[1]
        let statistics = ColumnStatistics(rowsOf: samples.map(\.features))
        let means = statistics.means
        let scales = statistics.deviations.map { 1 / Swift.max($0, 1e-6) }
        let outputs = layer.weight.shape[0]
        for o in 0..<outputs {
            var shift = 0.0
            for c in 0..<width {
                let w = Double(layer.weight.storage[o * width + c]) * scales[c]
                layer.weight.storage[o * width + c] = Float(w)
                shift += w * means[c]
            }
            if layer.bias != nil { layer.bias!.storage[o] -= Float(shift) }
        }
    }

    /// The loss of one mini-batch: for each sample the adapted tokens are scored as they are
    /// (all labels 0) and with a generated corruption added before context aggregation.
    static func trainingLoss(
        head: DetectorHead, batch: [TokenSample], corruptor: AnomalousFeatureGenerator, balance: Bool,
        scope: ParameterScope, generator: inout SeededGenerator
    ) -> Variable {
        var logits: [Variable] = [], targets: [Float] = []
        for sample in batch {
            let adapted = head.adaptor(scope.constant(sample.features), scope.child("adaptor"))
            logits.append(head.logits(adapted: adapted, centers: sample.centers, scope))
            targets += [Float](repeating: 0, count: sample.features.shape[0])
            let corruption = corruptor.corruption(adapted: adapted.value, centers: sample.centers, generator: &generator)
            logits.append(head.logits(adapted: adapted + scope.constant(corruption.noise), centers: sample.centers, scope))
            targets += corruption.labels
        }
        return Variable.concatenate(logits, alongAxis: 0)
            .binaryCrossEntropyWithLogits(targets: targets, weights: lossWeights(targets: targets, balance: balance))
    }

    /// Per-token weights summing to 1: negatives weigh 1 and positives `n₋/n₊` when balancing
    /// (so both classes carry equal total weight), or 1 as well otherwise.
    static func lossWeights(targets: [Float], balance: Bool) -> [Float] {
        let positives = targets.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }, negatives = targets.count - positives
        let positiveWeight: Float = balance && positives > 0 && negatives > 0 ? Float(negatives) / Float(positives) : 1
        let raw = targets.map { $0 > 0.5 ? positiveWeight : 1 }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// k-means centroids of adapted training tokens (at most `kMeansSampleCount`, drawn without replacement).
    static func initialPrototypes(head: DetectorHead, samples: [TokenSample], generator: inout SeededGenerator) -> Tensor {
        let settings = head.configuration.training
        let adapted = Tensor.concatenate(samples.map { head.adapt($0.features) }, alongAxis: 0)
        let chosen = generator.sample(Swift.min(settings.kMeansSampleCount, adapted.shape[0]), from: adapted.shape[0])
        return KMeans.centroids(
            of: adapted.gatherRows(chosen.sorted()), k: head.configuration.prototypeCount,
            iterations: settings.kMeansIterations, generator: &generator)
    }
}

/// Sample indices in epochs: each epoch visits every sample once in a fresh seeded order.
struct BatchOrder {
    private let sampleCount: Int
    private var generator: SeededGenerator
    private var pending: [Int] = []

    init(sampleCount: Int, generator: SeededGenerator) {
        self.sampleCount = sampleCount
        self.generator = generator
    }

    /// The next `count` indices, starting new epochs as needed.
    mutating func next(_ count: Int) -> [Int] {
        var batch: [Int] = []
        while batch.count < count {
            if pending.isEmpty { pending = generator.sample(sampleCount, from: sampleCount) }
            batch.append(pending.removeLast())
        }
        return batch
    }
}
