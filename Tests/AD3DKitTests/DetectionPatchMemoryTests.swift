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
        let raw = randomTensor(200, 12, seed: 1), calibrationRaw = randomTensor(30, 12, seed: 2)
        // Channels of very different sizes: the memory must compare them on an equal footing.
        let sizes: [Float] = (0..<12).map { Float($0 + 1) * 10 }
        func stretched(_ t: Tensor) -> Tensor {
            Tensor(shape: t.shape, storage: t.storage.enumerated().map { $0.element * sizes[$0.offset % 12] })
        }
        let features = stretched(raw), calibration = stretched(calibrationRaw)
        let (memory, statistics) = try PatchMemory.build(features: features, ratio: 0.5, calibration: calibration, seed: 3)
        #expect(memory.bank.count == 100)
        // The scale is 1 / the population standard deviation of each column, computed naively.
        let deviations = (0..<12).map { j -> Float in
            let column = (0..<200).map { Double(features.storage[$0 * 12 + j]) }
            let mean = column.reduce(0, +) / 200
            return Float((column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 200).squareRoot())
        }
        expectClose(memory.channelScale.storage, deviations.map { 1 / $0 }, rtol: 1e-4)
        let scaledCalibration = Tensor(
            shape: calibration.shape, storage: calibration.storage.enumerated().map { $0.element / deviations[$0.offset % 12] })
        let expected = (0..<30).map { nearestDistance(scaledCalibration, $0, memory.bank.features) }
        expectClose(try memory.distances(calibration), expected, rtol: 1e-4, atol: 1e-4)
        let reference = ScoreStatistics(of: expected)
        expectClose(statistics.mean, reference.mean, rtol: 1e-4)
        expectClose(statistics.standardDeviation, reference.standardDeviation, rtol: 1e-3)
        // Every remembered row is a scaled training row, hence its own nearest neighbour.
        let unscaledKept = Tensor(
            shape: memory.bank.features.shape,
            storage: memory.bank.features.storage.enumerated().map { $0.element * deviations[$0.offset % 12] })
        expectClose(try memory.distances(unscaledKept), [Float](repeating: 0, count: 100), atol: 2e-3)
    }

    @Test func checkpointsMustCarryExactlyTheirReadoutsParts() throws {
        var encoderConfiguration = PointMAEConfiguration.tiny
        encoderConfiguration.groupCount = 16
        encoderConfiguration.groupSize = 8
        let encoder = try PointMAEEncoder(configuration: encoderConfiguration, seed: 1)
        let width = encoderConfiguration.featureDimensions
        let configuration = SCAConfiguration(
            encoder: encoderConfiguration, encoderSource: "random", frame: ScanFrame(mode: .centroid, scale: 1),
            encodedPoints: 256, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 2,
            head: DetectorHeadConfiguration(), readout: .memory)
        let (memory, _) = try PatchMemory.build(
            features: randomTensor(40, width, seed: 4), ratio: 0.5, calibration: randomTensor(8, width, seed: 5), seed: 6)
        let detector = SCADetector(configuration: configuration, encoder: encoder, head: nil, memory: memory)
        let checkpoint = try detector.checkpoint()
        let loaded = try SCADetector(checkpoint: checkpoint)
        #expect(loaded.memory?.bank.features == memory.bank.features && loaded.memory?.channelScale == memory.channelScale)
        #expect(loaded.head == nil)
        for dropped in [PatchMemory.tensorName, PatchMemory.scaleName] {
            var broken = checkpoint
            broken.tensors[dropped] = nil
            #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: broken) }
        }
        var misshapen = checkpoint
        misshapen.tensors[PatchMemory.scaleName] = Tensor(shape: [width - 1], storage: [Float](repeating: 1, count: width - 1))
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: misshapen) }
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
