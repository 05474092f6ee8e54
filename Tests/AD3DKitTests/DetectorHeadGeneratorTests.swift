import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels

/// The selective anomalous feature generator: regions, labels, channels and noise scale.
@Suite("Detector head anomaly generator")
struct DetectorHeadGeneratorTests {
    let adapted = Tensor.gaussian([200, 16], seed: 41)
    let centers = randomCenters(200, seed: 42)

    @Test func selectiveRegionsAreLocalAndLabelled() {
        let generator = AnomalousFeatureGenerator(configuration: .init())
        for seed in 0..<20 as Range<UInt64> {
            var random = SeededGenerator(seed: seed)
            let corruption = generator.corruption(adapted: adapted, centers: centers, generator: &random)
            #expect((1...3).contains(corruption.regions.count))
            let labelled = Set(corruption.regions.joined())
            #expect(corruption.labels == (0..<200).map { labelled.contains($0) ? 1 : 0 })
            for (region, channels) in zip(corruption.regions, corruption.channels) {
                // 0.5–5% of 200 tokens: 1 to 10.
                #expect((1...10).contains(region.count))
                // 25–100% of 16 channels: 4 to 16, distinct.
                #expect((4...16).contains(channels.count) && Set(channels).count == channels.count)
                // Every region token is at least as close to the seed as every other token.
                let distance = { (i: Int) -> Float in
                    (0..<3).reduce(0) { $0 + pow2(centers.storage[3 * i + $1] - centers.storage[3 * region[0] + $1]) }
                }
                let inside = region.map(distance).max()!
                #expect((0..<200).filter { !region.contains($0) }.allSatisfy { distance($0) >= inside })
            }
            // Noise only on labelled tokens, and there only on channels of a region holding the token.
            for token in 0..<200 {
                let allowed = Set(zip(corruption.regions, corruption.channels).filter { $0.0.contains(token) }.flatMap(\.1))
                for channel in 0..<16 where !allowed.contains(channel) {
                    #expect(corruption.noise.storage[token * 16 + channel] == 0)
                }
            }
        }
    }

    @Test func globalModeCorruptsEverythingAtTheChannelScale() {
        var configuration = AnomalousFeatureGenerator.Configuration()
        configuration.mode = .global
        configuration.noiseScale = 1...1
        // Channel j has standard deviation j + 1.
        let scaled = Tensor(shape: [4000, 4], storage: Tensor.gaussian([4000, 4], seed: 43).storage.enumerated().map { $1 * Float($0 % 4 + 1) })
        var random = SeededGenerator(seed: 7)
        let corruption = AnomalousFeatureGenerator(configuration: configuration)
            .corruption(adapted: scaled, centers: randomCenters(4000, seed: 44), generator: &random)
        #expect(corruption.labels.allSatisfy { $0 == 1 })
        for channel in 0..<4 {
            let values = stride(from: channel, to: 16000, by: 4).map { corruption.noise.storage[$0] }
            let deviation = (values.reduce(0) { $0 + $1 * $1 } / Float(values.count)).squareRoot()
            expectClose(deviation, Float(channel + 1), rtol: 0.06)
        }
    }

    @Test func sameSeedSameCorruption() {
        let generator = AnomalousFeatureGenerator(configuration: .init())
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
        let first = generator.corruption(adapted: adapted, centers: centers, generator: &a)
        let second = generator.corruption(adapted: adapted, centers: centers, generator: &b)
        #expect(first.noise == second.noise && first.regions == second.regions)
    }

    @Test func lossWeightsBalanceTheClasses() {
        let weights = DetectorHeadTrainer.lossWeights(targets: [0, 0, 0, 1], balance: true)
        expectClose(weights, [1.0 / 6, 1.0 / 6, 1.0 / 6, 0.5])
        expectClose(DetectorHeadTrainer.lossWeights(targets: [0, 0, 0, 1], balance: false), [0.25, 0.25, 0.25, 0.25])
    }
}

private func pow2(_ x: Float) -> Float { x * x }
