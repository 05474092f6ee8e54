import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DNN
@testable import AD3DModels

/// The per-channel standardisation of encoder features folded into the adaptor's first layer.
@Suite struct DetectorHeadStandardizationTests {
    @Test func foldedLayerSeesStandardizedFeatures() {
        var generator = SeededGenerator(seed: 6)
        let samples = (0..<2).map { _ in
            TokenSample(
                features: Tensor(shape: [5, 3], storage: (0..<15).map { 3 + 0.1 * generator.nextGaussian() + Float($0 % 3) }),
                centers: Tensor(shape: [5, 3]))
        }
        let original = Linear(inputDimensions: 3, outputDimensions: 2, generator: &generator)
        var folded = original
        DetectorHeadTrainer.standardizeInputs(of: &folded, samples: samples)
        let rows = samples.flatMap { sample in (0..<5).map { Array(sample.features.storage[(3 * $0)..<(3 * $0 + 3)]) } }
        let means = (0..<3).map { c in rows.map { Double($0[c]) }.reduce(0, +) / 10 }
        let deviations = (0..<3).map { c in (rows.map { (Double($0[c]) - means[c]) * (Double($0[c]) - means[c]) }.reduce(0, +) / 10).squareRoot() }
        for row in rows {
            for o in 0..<2 {
                var expected = Double(original.bias!.storage[o]), actual = Double(folded.bias!.storage[o])
                for c in 0..<3 {
                    expected += Double(original.weight.storage[3 * o + c]) * (Double(row[c]) - means[c]) / deviations[c]
                    actual += Double(folded.weight.storage[3 * o + c]) * Double(row[c])
                }
                #expect(abs(actual - expected) < 1e-3, "\(actual) vs \(expected)")
            }
        }
    }
}
