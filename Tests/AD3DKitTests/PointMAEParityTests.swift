import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DModels

/// The Swift encoder against the PyTorch reference modules (Scripts/fixtures/pointmae_reference.py): official
/// module layout, converted by Scripts/fixtures/convert_pointmae.py, non-trivial BatchNorm statistics.
@Suite struct PointMAEParityTests {
    @Test func matchesPyTorchReferencePerTap() throws {
        let encoder = try PointMAEEncoder(contentsOf: PointMAETestSupport.fixture("weights", "safetensors"))
        #expect(encoder.configuration.dimension == 96)
        #expect(encoder.configuration.depth == 3)
        #expect(encoder.configuration.headCount == 3)
        #expect(encoder.configuration.taps == [0, 1, 2])
        let centers = try NPYFile.read(PointMAETestSupport.fixture("centers"))
        let neighborhoods = try NPYFile.read(PointMAETestSupport.fixture("neighborhoods"))
        let expected = try NPYFile.read(PointMAETestSupport.fixture("features"))
        let output = encoder.features(centers: centers, neighborhoods: neighborhoods, keepingIntermediates: true)
        let intermediates = try #require(output.intermediates)

        let tokenError = PointMAETestSupport.relativeL2(
            intermediates.tokens.storage, try NPYFile.read(PointMAETestSupport.fixture("tokens")).storage)
        let positionError = PointMAETestSupport.relativeL2(
            intermediates.positions.storage, try NPYFile.read(PointMAETestSupport.fixture("positions")).storage)
        #expect(tokenError <= 1e-5, "patch tokens: relative L2 \(tokenError)")
        #expect(positionError <= 1e-5, "positions: relative L2 \(positionError)")

        #expect(output.features.shape == expected.shape)
        let d = encoder.configuration.dimension
        for (t, tap) in output.taps.enumerated() {
            let reference = expected.slice(alongAxis: 1, range: (t * d)..<((t + 1) * d))
            let error = PointMAETestSupport.relativeL2(tap.storage, reference.storage)
            #expect(error <= 1e-4, "tap \(t): relative L2 \(error)")
            #expect(output.features.slice(alongAxis: 1, range: (t * d)..<((t + 1) * d)) == tap)
        }
    }

    @Test func convertedCheckpointCarriesConverterMetadata() throws {
        let file = try SafeTensors.read(PointMAETestSupport.fixture("weights", "safetensors"))
        #expect(file.metadata["format"] == "pointmae-encoder-v1")
        #expect(file.metadata["gelu"] == "erf")
        #expect(file.metadata["bn_eps"] == "1e-05")
        #expect(file.tensors.count == 16 + 4 + 3 * 11 + 2)
        #expect(file.tensors["encoder.patch.conv1.weight"]?.shape == [128, 3])
        #expect(file.tensors["encoder.patch.bn2.running_var"]?.shape == [512])
        #expect(file.tensors["encoder.blocks.2.attn.qkv.weight"]?.shape == [288, 96])
        #expect(file.tensors["encoder.blocks.0.attn.qkv.bias"] == nil)
    }
}
