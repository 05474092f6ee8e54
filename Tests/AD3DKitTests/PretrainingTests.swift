import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DNN
@testable import AD3DModels
@testable import AD3DSynthesis
@testable import AD3DPretraining

/// Random ellipsoids: a cheap shape source for tests.
private struct EllipsoidShapes: PretrainingShapeSource {
    func cloud(pointCount: Int, using generator: inout SeededGenerator) throws -> PointCloud {
        let radii = SIMD3<Float>(generator.uniform(0.5...2), generator.uniform(0.5...2), generator.uniform(0.5...2))
        return PointCloud(points: (0..<pointCount).map { _ in
            let v = SIMD3<Float>(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            return v / (v * v).sum().squareRoot() * radii
        })
    }
}

private struct Interrupted: Error {}

/// A tiny run: D 32, 2 blocks, crops of 128 points in 8 groups of 8.
private func tinyConfiguration(steps: Int = 4) -> PretrainingConfiguration {
    var configuration = PretrainingConfiguration(
        encoder: PointMAEConfiguration(dimension: 32, depth: 2, headCount: 2, groupCount: 8, groupSize: 8))
    configuration.pointCount = 512
    configuration.cropPointCount = 128
    configuration.groupCount = 8
    configuration.groupSize = 8
    configuration.batchSize = 4
    configuration.steps = steps
    configuration.warmupSteps = 1
    configuration.validationCount = 4
    configuration.seed = 7
    return configuration
}

@Suite("Pretraining")
struct PretrainingTests {
    @Test func evaluationForwardMatchesInferenceEncoder() throws {
        let configuration = PointMAEConfiguration(dimension: 32, depth: 2, headCount: 2, groupCount: 8, groupSize: 8)
        var weights = try PointMAEEncoder(configuration: configuration, seed: 3, initialization: .varianceScaled(inputScale: 0.05)).weights()
        // Non-trivial running statistics, so that evaluation mode is actually exercised.
        for name in ["encoder.patch.bn1", "encoder.patch.bn2"] {
            let width = weights["\(name).running_mean"]!.count
            weights["\(name).running_mean"] = Tensor.gaussian([width], seed: 4)
            weights["\(name).running_var"] = Tensor(shape: [width], storage: Tensor.gaussian([width], seed: 5).storage.map { 0.5 + abs($0) })
            weights["\(name).weight"] = Tensor.gaussian([width], seed: 6)
        }
        let reference = try PointMAEEncoder(configuration: configuration, weights: weights)
        let trainable = try PretrainingEncoder(reference)
        #expect(trainable.weights() == weights)
        let centers = Tensor.gaussian([8, 3], seed: 8), neighborhoods = (0.05 as Float) * Tensor.gaussian([8, 8, 3], seed: 9)
        let expected = reference.features(centers: centers, neighborhoods: neighborhoods, keepingIntermediates: true).intermediates!
        let actual = trainable.evaluationBlockOutputs(centers: centers, neighborhoods: neighborhoods)
        #expect(actual.count == expected.blockOutputs.count)
        for (a, e) in zip(actual, expected.blockOutputs) { expectClose(a, e, rtol: 1e-4, atol: 1e-5) }
    }

    @Test func samplesHaveTheDetectorGeometryAndExactMasks() throws {
        let configuration = tinyConfiguration()
        var generator = SeededGenerator(seed: 1)
        let sample = try PretrainingSampler(configuration: configuration).sample(from: EllipsoidShapes(), using: &generator)
        #expect(sample.centers.shape == [8, 3] && sample.neighborhoods.shape == [8, 8, 3])
        #expect(sample.maskedGroups.count == 4 && sample.visibleGroups.count == 4)
        #expect(Set(sample.maskedGroups + sample.visibleGroups) == Set(0..<8))
        #expect(sample.maskedGroups == sample.maskedGroups.sorted() && sample.visibleGroups == sample.visibleGroups.sorted())
        // The whole shape was divided by its diagonal: every centre lies within unit distance of the origin.
        for g in 0..<8 {
            let c = (0..<3).map { sample.centers.storage[3 * g + $0] }
            #expect(c.map { $0 * $0 }.reduce(0, +) <= 1)
        }
        var again = SeededGenerator(seed: 1)
        #expect(try PretrainingSampler(configuration: configuration).sample(from: EllipsoidShapes(), using: &again) == sample)
    }

    @Test func consistencySamplesCarryASecondSamplingOfTheSameGroups() throws {
        var configuration = tinyConfiguration()
        var generator = SeededGenerator(seed: 3)
        #expect(try PretrainingSampler(configuration: configuration).sample(from: EllipsoidShapes(), using: &generator)
            .alternateNeighborhoods == nil)
        configuration.consistencyWeight = 1e-3
        generator = SeededGenerator(seed: 3)
        let sample = try PretrainingSampler(configuration: configuration).sample(from: EllipsoidShapes(), using: &generator)
        let alternate = try #require(sample.alternateNeighborhoods)
        #expect(alternate.shape == sample.neighborhoods.shape)
        // The second sampling has other points, each group around the same centre, which it contains.
        #expect(alternate != sample.neighborhoods)
        for g in 0..<8 {
            let slots = (0..<8).map { k in SIMD3<Float>((0..<3).map { alternate.storage[3 * (8 * g + k) + $0] }) }
            #expect(slots[0] == .zero)
            let primary = (0..<8).map { k in SIMD3<Float>((0..<3).map { sample.neighborhoods.storage[3 * (8 * g + k) + $0] }) }
            // Same density: the farthest neighbour lies at a comparable distance in both samplings.
            let reach = { (points: [SIMD3<Float>]) in points.map { ($0 * $0).sum().squareRoot() }.max()! }
            #expect(reach(slots) < 4 * reach(primary) && reach(primary) < 4 * reach(slots))
        }
        var again = SeededGenerator(seed: 3)
        #expect(try PretrainingSampler(configuration: configuration).sample(from: EllipsoidShapes(), using: &again) == sample)
    }

    @Test func consistencyLossFallsInTraining() throws {
        var configuration = tinyConfiguration(steps: 30)
        configuration.learningRate = 2e-3
        configuration.consistencyWeight = 1
        var trainer = try Pretrainer(configuration: configuration, source: EllipsoidShapes(), workers: 2)
        // The detector's view: evaluation-mode tokens of both samplings of held-out samples' groups.
        let groups = trainer.validation.map(\.neighborhoods), alternates = trainer.validation.compactMap(\.alternateNeighborhoods)
        func consistency(_ model: MaskedAutoencoder) -> Float {
            let tape = Tape(isRecording: false), scope = ParameterScope(tape: tape, path: "encoder.patch")
            func tokens(_ parts: [Tensor]) -> Variable {
                let points = Tensor.concatenate(parts, alongAxis: 0)
                return model.encoder.patch(tape.constant(points.reshaped([points.count / 3, 3])), groupSize: 8, scope, training: false).tokens
            }
            return tokens(groups).crossCorrelationLoss(with: tokens(alternates), offDiagonalWeight: 1 / 32).value.storage[0]
        }
        let before = consistency(trainer.model)
        try trainer.run(schedule: PretrainingSchedule(logEvery: 10, checkpointEvery: 0, stateURL: nil, logURL: nil))
        let after = consistency(trainer.model)
        #expect(before > 0 && after < 0.7 * before, "consistency loss \(before) → \(after)")
    }

    @Test func cropPatchesTakeTheirNeighboursFromTheWholeShape() throws {
        let configuration = tinyConfiguration()
        var generator = SeededGenerator(seed: 2)
        let object = try EllipsoidShapes().cloud(pointCount: 512, using: &generator)
        let crop = Set(SamplingReference.sortedNeighbors(of: object[17], in: object).indices.prefix(configuration.cropPointCount))
        let patches = try PretrainingSampler(configuration: configuration).cropPatches(of: object, around: 17)
        #expect(patches.groupCount == 8 && patches.groupSize == 8)
        var rimPatches = 0
        for (g, centerIndex) in patches.centerIndices.enumerated() {
            #expect(crop.contains(centerIndex))
            // Brute force: the K nearest points of the whole shape, wherever the crop ends.
            let center = object[centerIndex]
            let nearest = SamplingReference.sortedNeighbors(of: center, in: object).indices.prefix(8)
            let members = patches.indices[(8 * g)..<(8 * g + 8)].map(Int.init)
            #expect(members == Array(nearest))
            if members.contains(where: { !crop.contains($0) }) { rimPatches += 1 }
            for k in 0..<8 {
                let offset = object[members[k]] - center
                for axis in 0..<3 { #expect(patches.neighborhoods.storage[3 * (8 * g + k) + axis] == offset[axis]) }
            }
        }
        // The crop is small enough that some patches reach past its rim: the property is exercised.
        #expect(rimPatches > 0)
    }

    @Test func validationLossFallsAndEncoderExports() throws {
        var configuration = tinyConfiguration(steps: 30)
        configuration.learningRate = 2e-3
        var trainer = try Pretrainer(configuration: configuration, source: EllipsoidShapes(), workers: 2)
        try trainer.run(schedule: PretrainingSchedule(logEvery: 10, checkpointEvery: 0, stateURL: nil, logURL: nil))
        let first = try #require(trainer.log.first?.validationLoss), last = try #require(trainer.log.last?.validationLoss)
        #expect(last < 0.8 * first, "validation loss \(first) → \(last)")
        #expect(trainer.log.map(\.step) == [0, 10, 20, 30])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pretrained-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.trainedEncoder().save(to: url)
        let loaded = try PointMAEEncoder(contentsOf: url)
        #expect(loaded.weights() == trainer.model.encoder.weights())
        // The running statistics moved away from their initial (0, 1).
        #expect(loaded.weights()["encoder.patch.bn1.running_mean"]!.storage.contains { $0 != 0 })
    }

    @Test func configurationsStoredBeforeTheConsistencyLossStillDecode() throws {
        var configuration = tinyConfiguration()
        configuration.consistencyWeight = 0.5
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(PretrainingConfiguration.self, from: data) == configuration)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.removeValue(forKey: "consistencyWeight") != nil)
        let older = try JSONDecoder().decode(PretrainingConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        configuration.consistencyWeight = 0
        #expect(older == configuration)
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let configuration = tinyConfiguration(steps: 4)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func schedule(_ name: String) -> PretrainingSchedule {
            PretrainingSchedule(logEvery: 1, checkpointEvery: 2, stateURL: directory.appendingPathComponent("\(name).state"),
                                logURL: directory.appendingPathComponent("\(name).csv"))
        }
        var whole = try Pretrainer(configuration: configuration, source: EllipsoidShapes(), workers: 2)
        try whole.run(schedule: schedule("whole"))
        var interrupted = try Pretrainer(configuration: configuration, source: EllipsoidShapes(), workers: 1)
        #expect(throws: Interrupted.self) {
            try interrupted.run(schedule: schedule("part")) { progress in if progress.step == 3 { throw Interrupted() } }
        }
        var resumed = try Pretrainer(
            resumingFrom: directory.appendingPathComponent("part.state"), configuration: configuration, source: EllipsoidShapes(), workers: 2)
        #expect(resumed.step == 2)
        try resumed.run(schedule: schedule("part"))
        #expect(resumed.model.namedParameters() == whole.model.namedParameters())
        #expect(resumed.model.encoder.weights() == whole.model.encoder.weights())
        #expect(resumed.log == whole.log)
        #expect(try String(contentsOf: directory.appendingPathComponent("part.csv"), encoding: .utf8)
            == String(contentsOf: directory.appendingPathComponent("whole.csv"), encoding: .utf8))

        var other = configuration
        other.learningRate = 5e-4
        #expect(throws: PretrainingError.self) {
            _ = try Pretrainer(resumingFrom: directory.appendingPathComponent("part.state"), configuration: other,
                               source: EllipsoidShapes(), workers: 1)
        }
    }

    @Test func mixtureAndFolderSources() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shapes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: PretrainingError.emptyShapeFolder(path: directory.path)) { _ = try ShapeFolder(directory: directory) }
        let xyz = (0..<50).map { i in "\(Float(i) * 0.1) \(Float(i % 7) * 0.2) \(Float(i % 3))" }.joined(separator: "\n")
        try xyz.write(to: directory.appendingPathComponent("a.xyz"), atomically: true, encoding: .utf8)
        let folder = try ShapeFolder(directory: directory)
        var generator = SeededGenerator(seed: 2)
        #expect(try folder.cloud(pointCount: 80, using: &generator).count == 80)
        #expect(try folder.cloud(pointCount: 20, using: &generator).count == 20)
        let mixture = try ShapeMixture([(folder, 1), (ShapeGenerator(), 2)])
        #expect(try mixture.cloud(pointCount: 64, using: &generator).count == 64)
        #expect(throws: PretrainingError.self) { _ = try ShapeMixture([(folder, 0)]) }
    }
}
