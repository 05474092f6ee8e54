import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels
@testable import AD3DEvaluation

/// End-to-end learning on synthetic tokens: features are a fixed smooth function of the patch
/// centre plus noise; anomalies are tokens whose features are shifted away from that function.
@Suite("Detector head training")
struct DetectorHeadTrainingTests {
    /// `sin(3·A·c + φ)` per channel, with `A` and `φ` fixed, plus `N(0, 0.05²)` noise.
    private func sample(tokens: Int, seed: UInt64) -> TokenSample {
        var structure = SeededGenerator(seed: 1000), noise = SeededGenerator(seed: seed &+ 1)
        let a = (0..<24).map { _ in structure.nextGaussian() }, phase = (0..<8).map { _ in 6 * structure.nextUnitFloat() }
        let centers = randomCenters(tokens, seed: seed)
        let features = Tensor.build([tokens, 8]) { index in
            let (i, k) = (index[0], index[1])
            let projection = (0..<3).reduce(Float(0)) { $0 + a[3 * k + $1] * centers.storage[3 * i + $1] }
            return sin(3 * projection + phase[k]) + 0.05 * noise.nextGaussian()
        }
        return TokenSample(features: features, centers: centers)
    }

    /// Tiny sizes, but with `D = C` so that the adaptor need not discard any direction.
    private var configuration: DetectorHeadConfiguration {
        var configuration = DetectorHeadConfiguration.tiny()
        configuration.adaptorHiddenDimensions = 16
        configuration.adaptedDimensions = 8
        configuration.modelDimensions = 16
        configuration.prototypeCount = 4
        configuration.positionHiddenDimensions = 16
        configuration.training.steps = 400
        configuration.training.batchSize = 2
        configuration.training.warmupSteps = 10
        configuration.training.learningRate = 3e-3
        configuration.training.kMeansIterations = 5
        return configuration
    }

    @Test func perturbedTokensScoreHigher() throws {
        let training = (0..<8).map { sample(tokens: 48, seed: UInt64(10 + $0)) }
        var losses: [Float] = []
        let (head, statistics) = try DetectorHeadTrainer.train(samples: training, configuration: configuration, seed: 7) { _, _, loss in
            losses.append(loss)
        }
        #expect(losses.count == 400)
        #expect(losses.suffix(40).reduce(0, +) < losses.prefix(40).reduce(0, +))
        var scores: [Float] = [], labels: [UInt8] = []
        var perturbation = SeededGenerator(seed: 99)
        for index in 0..<6 {
            var test = sample(tokens: 48, seed: UInt64(100 + index))
            let anomalous = Set(perturbation.sample(3, from: 48))
            for token in anomalous.sorted() {
                for k in 0..<8 { test.features.storage[token * 8 + k] += 1.5 * perturbation.nextGaussian() }
            }
            scores += try head.logits(features: test.features, centers: test.centers).map(statistics.standardized)
            labels += (0..<48).map { anomalous.contains($0) ? 1 : 0 }
        }
        let auroc = try #require(try RankedScores(scores: scores, labels: labels).areaUnderROC)
        #expect(auroc > 0.9, "AUROC \(auroc)")
    }

    @Test func trainingIsDeterministicForASeed() throws {
        var configuration = configuration
        configuration.training.steps = 5
        let samples = (0..<3).map { sample(tokens: 20, seed: UInt64(200 + $0)) }
        let first = try DetectorHeadTrainer.train(samples: samples, configuration: configuration, seed: 3)
        let second = try DetectorHeadTrainer.train(samples: samples, configuration: configuration, seed: 3)
        #expect(first.head.parameters() == second.head.parameters())
        #expect(first.statistics == second.statistics)
        let other = try DetectorHeadTrainer.train(samples: samples, configuration: configuration, seed: 4)
        #expect(other.head.parameters() != first.head.parameters())
    }
}
