import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DModels

/// The encoder's weights, initialisation, errors, attention tiling and point-cloud entry point.
@Suite struct PointMAEEncoderTests {
    private let configuration = PointMAETestSupport.miniature

    @Test func randomInitialisationFollowsPointMAE() throws {
        let encoder = try PointMAEEncoder(configuration: configuration, seed: 11)
        let weights = encoder.weights()
        let learned = weights.filter { !$0.key.hasSuffix("running_mean") && !$0.key.hasSuffix("running_var") }
        #expect(learned.values.reduce(0) { $0 + $1.count } == configuration.parameterCount)
        #expect(weights.count - learned.count == 4)
        #expect(weights.count == 16 + 4 + configuration.depth * 11 + 2)
        for (name, tensor) in weights {
            let values = tensor.storage
            switch name {
            case _ where name.hasSuffix("running_var") || name.hasSuffix("norm1.weight") || name.hasSuffix("norm2.weight")
                || name == "encoder.norm.weight" || name.hasSuffix("bn1.weight") || name.hasSuffix("bn2.weight"):
                #expect(values.allSatisfy { $0 == 1 }, "\(name)")
            case _ where name.hasSuffix(".bias") || name.hasSuffix("running_mean"):
                #expect(values.allSatisfy { $0 == 0 }, "\(name)")
            default:
                let mean = values.reduce(0, +) / Float(values.count)
                let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
                #expect(abs(std - 0.02) < (values.count > 1000 ? 0.002 : 0.006), "\(name): std \(std)")
            }
        }
        let again = try PointMAEEncoder(configuration: configuration, seed: 11).weights()
        #expect(again == weights)
        #expect(try PointMAEEncoder(configuration: configuration, seed: 12).weights() != weights)
    }

    @Test func weightsRoundTripThroughDictionaryAndCheckpoint() throws {
        let encoder = try randomizedEncoder()
        let (centers, neighborhoods) = PointMAETestSupport.randomGroups(groups: 9, size: 5, seed: 2)
        let reference = encoder.features(centers: centers, neighborhoods: neighborhoods)
        #expect(reference.features.shape == [9, configuration.taps.count * configuration.dimension])
        let rebuilt = try PointMAEEncoder(configuration: configuration, weights: encoder.weights())
        #expect(rebuilt.features(centers: centers, neighborhoods: neighborhoods) == reference)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-pointmae-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try encoder.save(to: url)
        let loaded = try PointMAEEncoder(contentsOf: url)
        #expect(loaded.configuration == configuration)
        #expect(loaded.weights() == encoder.weights())
        #expect(loaded.features(centers: centers, neighborhoods: neighborhoods) == reference)
    }

    @Test func mismatchedWeightsAreAllListed() throws {
        var weights = try PointMAEEncoder(configuration: configuration, seed: 1).weights()
        weights["encoder.blocks.1.mlp.fc2.bias"] = nil
        weights["encoder.norm.bias"] = nil
        weights["encoder.blocks.7.attn.qkv.weight"] = Tensor(shape: [3])
        weights["encoder.patch.conv4.weight"] = Tensor(shape: [16, 512])
        do {
            _ = try PointMAEEncoder(configuration: configuration, weights: weights)
            Issue.record("mismatched weights accepted")
        } catch let error as PointMAEWeightsError {
            #expect(error == .mismatchedWeights(
                missing: ["encoder.blocks.1.mlp.fc2.bias", "encoder.norm.bias"],
                unexpected: ["encoder.blocks.7.attn.qkv.weight"],
                misshapen: [PointMAEShapeMismatch(name: "encoder.patch.conv4.weight", expected: [32, 512], actual: [16, 512])]))
            let message = error.localizedDescription
            #expect(message.contains("encoder.norm.bias") && message.contains("[16, 512]") && message.contains("blocks.7"))
        }
    }

    @Test func intermediatesAndTapsAreConsistent() throws {
        let encoder = try randomizedEncoder()
        let (centers, neighborhoods) = PointMAETestSupport.randomGroups(groups: 7, size: 4, seed: 3)
        let output = encoder.features(centers: centers, neighborhoods: neighborhoods, keepingIntermediates: true)
        let intermediates = try #require(output.intermediates)
        #expect(intermediates.blockOutputs.count == configuration.depth)
        for (t, block) in configuration.taps.enumerated() {
            #expect(output.taps[t] == encoder.norm(intermediates.blockOutputs[block]))
        }
        #expect(encoder.features(centers: centers, neighborhoods: neighborhoods).features == output.features)
        // The stream re-adds pos before every block: block 0 sees tokens + pos.
        #expect(intermediates.blockOutputs[0] == encoder.blocks[0](intermediates.tokens, pos: intermediates.positions))
    }

    @Test func groupOrderDoesNotMatterInsideAGroup() throws {
        let encoder = try randomizedEncoder()
        let (centers, neighborhoods) = PointMAETestSupport.randomGroups(groups: 4, size: 6, seed: 4)
        var shuffled = neighborhoods.storage
        for g in 0..<4 {
            for k in 0..<6 {
                for axis in 0..<3 { shuffled[(g * 6 + k) * 3 + axis] = neighborhoods.storage[(g * 6 + (5 - k)) * 3 + axis] }
            }
        }
        let a = encoder.features(centers: centers, neighborhoods: neighborhoods).features
        let b = encoder.features(centers: centers, neighborhoods: Tensor(shape: [4, 6, 3], storage: shuffled)).features
        expectClose(b, a, rtol: 1e-5, atol: 1e-5)
    }

    @Test(arguments: [1, 3, 7, 64])
    func tiledAttentionMatchesNaiveLoops(tileRows: Int) {
        let (tokens, heads, headWidth) = (11, 3, 4)
        let dimension = heads * headWidth
        var generator = SeededGenerator(seed: UInt64(tileRows))
        let qkv = Tensor(shape: [tokens, 3 * dimension], storage: (0..<(tokens * 3 * dimension)).map { _ in generator.nextGaussian() })
        let output = PointMAEAttention.attend(qkv, headCount: heads, tileRows: tileRows)
        var expected = [Float](repeating: 0, count: tokens * dimension)
        for h in 0..<heads {
            for i in 0..<tokens {
                var logits = [Double](repeating: 0, count: tokens)
                for j in 0..<tokens {
                    for c in 0..<headWidth {
                        logits[j] += Double(qkv.storage[i * 3 * dimension + h * headWidth + c])
                            * Double(qkv.storage[j * 3 * dimension + dimension + h * headWidth + c])
                    }
                    logits[j] /= Double(headWidth).squareRoot()
                }
                let peak = logits.max()!
                let weights = logits.map { Foundation.exp($0 - peak) }
                let total = weights.reduce(0, +)
                for c in 0..<headWidth {
                    var sum = 0.0
                    for j in 0..<tokens { sum += weights[j] / total * Double(qkv.storage[j * 3 * dimension + 2 * dimension + h * headWidth + c]) }
                    expected[i * dimension + h * headWidth + c] = Float(sum)
                }
            }
        }
        expectClose(output.storage, expected, rtol: 1e-5, atol: 1e-6)
    }

    @Test func encodesAPointCloud() throws {
        let encoder = try randomizedEncoder()
        var generator = SeededGenerator(seed: 8)
        let cloud = PointCloud(coordinates: (0..<(200 * 3)).map { _ in generator.nextGaussian() })
        let (patches, features) = try encoder.encode(cloud)
        #expect(patches.groupCount == configuration.groupCount && patches.groupSize == configuration.groupSize)
        #expect(patches.centerIndices.first == 0)
        #expect(features == encoder.features(centers: patches.centers, neighborhoods: patches.neighborhoods).features)
        #expect(throws: SamplingError.self) { try encoder.encode(PointCloud(coordinates: [0, 0, 0, 1, 1, 1])) }
    }

    /// A miniature encoder whose biases, norms and BatchNorm statistics are all non-trivial.
    private func randomizedEncoder() throws -> PointMAEEncoder {
        var generator = SeededGenerator(seed: 21)
        var weights = try PointMAEEncoder(configuration: configuration, seed: 5).weights()
        for (name, tensor) in weights {
            let values: [Float] = (0..<tensor.count).map { _ in
                if tensor.rank == 2 { return generator.nextGaussian() / Float(tensor.shape[1]).squareRoot() }
                if name.hasSuffix("running_var") { return 0.5 + generator.nextUnitFloat() }
                return (name.hasSuffix(".weight") ? 1 : 0) + 0.2 * generator.nextGaussian()
            }
            weights[name] = Tensor(shape: tensor.shape, storage: values)
        }
        return try PointMAEEncoder(configuration: configuration, weights: weights)
    }
}
