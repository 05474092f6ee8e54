import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels
@testable import AD3DDetection

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
        let centers = randomTensor(200, 3, seed: 7), calibrationCenters = randomTensor(30, 3, seed: 8)
        let (memory, statistics) = try PatchMemory.build(
            features: features, centers: centers, ratio: 0.5, positionWeight: 0,
            calibration: (calibration, calibrationCenters), seed: 3)
        #expect(memory.bank.count == 100 && memory.bank.features.shape == [100, 12])
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
        expectClose(try memory.distances(calibration, centers: calibrationCenters), expected, rtol: 1e-4, atol: 1e-4)
        let reference = ScoreStatistics(of: expected)
        expectClose(statistics.mean, reference.mean, rtol: 1e-4)
        expectClose(statistics.standardDeviation, reference.standardDeviation, rtol: 1e-3)
        // Every remembered row is a scaled training row, hence its own nearest neighbour.
        let unscaledKept = Tensor(
            shape: memory.bank.features.shape,
            storage: memory.bank.features.storage.enumerated().map { $0.element * deviations[$0.offset % 12] })
        expectClose(
            try memory.distances(unscaledKept, centers: randomTensor(100, 3, seed: 9)), [Float](repeating: 0, count: 100), atol: 2e-3)
    }

    @Test func positionWeightKeysPatchesByFeaturesAndCentre() throws {
        let channels = 8, weight: Float = 2
        let features = randomTensor(60, channels, seed: 11), centers = randomTensor(60, 3, seed: 12)
        let queries = randomTensor(20, channels, seed: 13), queryCenters = randomTensor(20, 3, seed: 14)
        let (memory, _) = try PatchMemory.build(
            features: features, centers: centers, ratio: 1, positionWeight: weight,
            calibration: (queries, queryCenters), seed: 15)
        #expect(memory.bank.features.shape == [60, channels + 3])
        // Reference keys: each channel divided by its standard deviation, then λ·√C times the centre.
        let scale = memory.channelScale.storage, centreFactor = weight * Float(channels).squareRoot()
        func referenceKeys(_ f: Tensor, _ c: Tensor) -> Tensor {
            let rows = f.shape[0]
            return Tensor(shape: [rows, channels + 3], storage: (0..<rows).flatMap { i in
                (0..<channels).map { f.storage[i * channels + $0] * scale[$0] } + (0..<3).map { centreFactor * c.storage[i * 3 + $0] }
            })
        }
        let bank = referenceKeys(features, centers), keys = referenceKeys(queries, queryCenters)
        expectClose(try memory.distances(queries, centers: queryCenters), (0..<20).map { nearestDistance(keys, $0, bank) },
                    rtol: 1e-4, atol: 1e-4)
        // A remembered patch moved by d costs λ·√C·|d| when nothing else is that close.
        let moved = Tensor(shape: [1, 3], storage: (0..<3).map { centers.storage[$0] + ($0 == 0 ? 100 : 0) })
        let firstFeatures = Tensor(shape: [1, channels], storage: Array(features.storage[0..<channels]))
        #expect(try memory.distances(firstFeatures, centers: centers.gatherRows([0]))[0] < 1e-3)
        let movedDistance = try memory.distances(firstFeatures, centers: moved)[0]
        #expect(movedDistance > 0.5 * centreFactor * 100)
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
            features: randomTensor(40, width, seed: 4), centers: randomTensor(40, 3, seed: 16), ratio: 0.5, positionWeight: 0,
            calibration: (randomTensor(8, width, seed: 5), randomTensor(8, 3, seed: 17)), seed: 6)
        let detector = SCADetector(configuration: configuration, encoder: encoder, head: nil, memory: memory)
        let checkpoint = try detector.checkpoint()
        let loaded = try SCADetector(checkpoint: checkpoint)
        #expect(loaded.memory?.bank.features == memory.bank.features && loaded.memory?.channelScale == memory.channelScale)
        #expect(loaded.head == nil)
        // With λ > 0 the memory keeps the centres: its width must match the configuration's λ.
        var positional = configuration
        positional.memoryPositionWeight = 3
        let (positionalMemory, _) = try PatchMemory.build(
            features: randomTensor(40, width, seed: 4), centers: randomTensor(40, 3, seed: 16), ratio: 0.5, positionWeight: 3,
            calibration: (randomTensor(8, width, seed: 5), randomTensor(8, 3, seed: 17)), seed: 6)
        let positionalCheckpoint = try SCADetector(
            configuration: positional, encoder: encoder, head: nil, memory: positionalMemory).checkpoint()
        let positionalLoaded = try SCADetector(checkpoint: positionalCheckpoint)
        #expect(positionalLoaded.memory?.positionWeight == 3 && positionalLoaded.memory?.bank.features.shape == [20, width + 3])
        var featuresOnly = positionalCheckpoint
        featuresOnly.configuration = checkpoint.configuration
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: featuresOnly) }
        for dropped in [PatchMemory.tensorName, PatchMemory.scaleName] {
            var broken = checkpoint
            broken.tensors[dropped] = nil
            #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: broken) }
        }
        var misshapen = checkpoint
        misshapen.tensors[PatchMemory.scaleName] = Tensor(shape: [width - 1], storage: [Float](repeating: 1, count: width - 1))
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: misshapen) }
    }

    @Test func configurationsRoundTripAndOlderOnesCompareFeaturesOnly() throws {
        var configuration = SCAConfiguration(
            encoder: .tiny, encoderSource: "random", frame: ScanFrame(mode: .centroid, scale: 2),
            encodedPoints: 256, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 2,
            head: DetectorHeadConfiguration(), memoryPositionWeight: 7)
        let json = Data(try TextFormatting.json(configuration).utf8)
        #expect(try JSONDecoder().decode(SCAConfiguration.self, from: json) == configuration)
        // A model written before the position-aware memory has no λ: it compared features only.
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["memoryPositionWeight"] = nil
        let older = try JSONDecoder().decode(SCAConfiguration.self, from: try JSONSerialization.data(withJSONObject: object))
        configuration.memoryPositionWeight = 0
        #expect(older == configuration)
    }

    @Test func readoutsUseTheirParts() {
        #expect(SCAReadout.discriminator.usesDiscriminator && !SCAReadout.discriminator.usesMemory)
        #expect(!SCAReadout.memory.usesDiscriminator && SCAReadout.memory.usesMemory)
        #expect(SCAReadout.combined.usesDiscriminator && SCAReadout.combined.usesMemory)
        #expect(!SCAReadout.none.usesDiscriminator && !SCAReadout.none.usesMemory && !SCAReadout.none.usesEncoder)
        #expect(SCAReadout.allCases.filter(\.usesEncoder).count == 3)
    }
}

/// The encoder shipped in the package's resources.
@Suite struct BuiltInEncoderTests {
    @Test func shippedEncoderLoadsAsTheSmallConfiguration() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AD3DModels/Resources/\(BuiltInEncoder.fileName)")
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
