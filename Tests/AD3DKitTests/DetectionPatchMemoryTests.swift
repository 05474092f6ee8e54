import Foundation
import Testing
@testable import AD3DKit

/// The SCA detector's patch memory and read-outs.
@Suite struct DetectionPatchMemoryTests {
    private func randomTensor(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, columns], storage: (0..<(rows * columns)).map { _ in generator.nextGaussian() })
    }

    /// Brute-force nearest distance of row `i` of `queries` to the rows of `bank`.
    private func nearestDistance(_ queries: Tensor, _ i: Int, _ bank: Tensor) -> Float {
        let c = queries.shape[1]
        return (0..<bank.shape[0]).map { j in
            (0..<c).reduce(Float(0)) { sum, k in
                let d = queries.storage[i * c + k] - bank.storage[j * c + k]
                return sum + d * d
            }.squareRoot()
        }.min()!
    }

    @Test func distancesAndCalibrationMatchBruteForce() throws {
        let features = randomTensor(200, 12, seed: 1), calibration = randomTensor(30, 12, seed: 2)
        let (memory, statistics) = try PatchMemory.build(features: features, ratio: 0.5, calibration: calibration, seed: 3)
        #expect(memory.bank.count == 100)
        let kept = memory.bank.features
        let expected = (0..<30).map { nearestDistance(calibration, $0, kept) }
        expectClose(try memory.distances(calibration), expected, rtol: 1e-4, atol: 1e-4)
        let reference = ScoreStatistics(of: expected)
        expectClose(statistics.mean, reference.mean, rtol: 1e-4)
        expectClose(statistics.standardDeviation, reference.standardDeviation, rtol: 1e-3)
        // Every kept row comes from the training features and is its own nearest neighbour.
        expectClose(try memory.distances(kept), [Float](repeating: 0, count: 100), atol: 2e-3)
    }

    @Test func readoutsUseTheirParts() {
        #expect(SCAReadout.discriminator.usesDiscriminator && !SCAReadout.discriminator.usesMemory)
        #expect(!SCAReadout.memory.usesDiscriminator && SCAReadout.memory.usesMemory)
        #expect(SCAReadout.combined.usesDiscriminator && SCAReadout.combined.usesMemory)
    }
}

/// The encoder shipped in the package's resources.
@Suite struct BuiltInEncoderTests {
    @Test func shippedEncoderLoadsAsTheSmallConfiguration() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AD3DKit/Resources/\(BuiltInEncoder.fileName)")
        let encoder = try PointMAEEncoder(contentsOf: url)
        let small = PointMAEConfiguration.small
        #expect(encoder.configuration.dimension == small.dimension && encoder.configuration.depth == small.depth)
        #expect(encoder.configuration.groupCount == small.groupCount && encoder.configuration.groupSize == small.groupSize)
        let weights = encoder.weights()
        #expect(weights.values.allSatisfy { $0.storage.allSatisfy(\.isFinite) })
        // Pretrained, not freshly initialised: the patch embedding's BatchNorm statistics moved.
        let random = try PointMAEEncoder(configuration: encoder.configuration, seed: 0).weights()
        let name = try #require(weights.keys.first { $0.hasSuffix("running_mean") })
        #expect(weights[name] != random[name])
    }
}
