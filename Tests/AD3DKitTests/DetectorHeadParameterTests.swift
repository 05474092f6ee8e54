import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DModels

/// Parameter names, shapes, checkpoint round trips and input validation of `DetectorHead`.
@Suite("Detector head parameters")
struct DetectorHeadParameterTests {
    let features = Tensor.gaussian([10, 8], seed: 51)
    let centers = randomCenters(10, seed: 52)

    @Test func dottedNamesAndShapes() throws {
        let head = try DetectorHead(configuration: .tiny(), seed: 1)
        let shapes = head.parameters().mapValues(\.shape)
        #expect(shapes["adaptor.fc1.weight"] == [6, 8])
        #expect(shapes["adaptor.fc2.bias"] == [4])
        #expect(shapes["context.prototypes"] == [3, 4])
        #expect(shapes["context.fuse.weight"] == [8, 12])
        #expect(shapes["discriminator.pos.fc1.weight"] == [5, 3])
        #expect(shapes["discriminator.blocks.0.attn.qkv.weight"] == [24, 8])
        #expect(shapes["discriminator.blocks.0.mlp.fc2.weight"] == [8, 16])
        #expect(shapes["discriminator.norm.bias"] == [8])
        #expect(shapes["discriminator.head.weight"] == [1, 8])
        #expect(shapes.count == 4 + 3 + 4 + 12 + 2 + 2)
    }

    @Test(arguments: [(true, DiscriminatorKind.attention), (false, .perceptron)])
    func roundTripGivesIdenticalLogits(contextAggregation: Bool, kind: DiscriminatorKind) throws {
        let configuration = DetectorHeadConfiguration.tiny(contextAggregation: contextAggregation, discriminator: kind)
        let head = try DetectorHead(configuration: configuration, seed: 2)
        let restored = try DetectorHead(configuration: configuration, parameters: head.parameters())
        #expect(try restored.logits(features: features, centers: centers) == head.logits(features: features, centers: centers))
        // A JSON round trip of the configuration keeps every field.
        let decoded = try JSONDecoder().decode(DetectorHeadConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(decoded == configuration)
    }

    @Test func loadingRejectsWrongTensors() throws {
        let configuration = DetectorHeadConfiguration.tiny()
        var tensors = try DetectorHead(configuration: configuration, seed: 3).parameters()
        tensors["adaptor.fc1.weight"] = Tensor(shape: [6, 7])
        #expect(throws: ModelCheckpointError.shapeMismatch(name: "adaptor.fc1.weight", expected: [6, 8], actual: [6, 7])) {
            try DetectorHead(configuration: configuration, parameters: tensors)
        }
        tensors["adaptor.fc1.weight"] = nil
        #expect(throws: ModelCheckpointError.missingTensors(names: ["adaptor.fc1.weight"])) {
            try DetectorHead(configuration: configuration, parameters: tensors)
        }
        tensors["adaptor.fc1.weight"] = Tensor(shape: [6, 8])
        tensors["extra"] = Tensor(shape: [1])
        #expect(throws: ModelCheckpointError.unexpectedTensors(names: ["extra"])) {
            try DetectorHead(configuration: configuration, parameters: tensors)
        }
    }

    @Test func invalidConfigurationsAndInputsThrow() throws {
        var configuration = DetectorHeadConfiguration.tiny()
        configuration.headCount = 3
        #expect(throws: DetectorHeadError.self) { try DetectorHead(configuration: configuration, seed: 0) }
        #expect(throws: ModelCheckpointError.self) { try DetectorHead(configuration: configuration, parameters: [:]) }
        let head = try DetectorHead(configuration: .tiny(), seed: 4)
        #expect(throws: DetectorHeadError.featureShape(sample: 0, expectedChannels: 8, actual: [10, 7])) {
            try head.logits(features: Tensor(shape: [10, 7]), centers: centers)
        }
        #expect(throws: DetectorHeadError.centerShape(sample: 0, tokens: 10, actual: [9, 3])) {
            try head.logits(features: features, centers: randomCenters(9, seed: 1))
        }
        #expect(throws: DetectorHeadError.noSamples) {
            try DetectorHeadTrainer.train(samples: [], configuration: .tiny(), seed: 0)
        }
    }

    @Test func defaultConfigurationIsValid() {
        #expect(DetectorHeadConfiguration().invalidReason == nil)
    }
}
