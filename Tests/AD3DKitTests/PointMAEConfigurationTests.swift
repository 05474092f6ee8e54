import Foundation
import Testing
import AD3DKit
@testable import AD3DModels

/// Configuration presets, taps, parameter counts and FLOPs against hand counts.
@Suite struct PointMAEConfigurationTests {
    @Test func defaultTaps() {
        #expect(PointMAEConfiguration.defaultTaps(depth: 12) == [3, 7, 11])
        #expect(PointMAEConfiguration.defaultTaps(depth: 6) == [1, 3, 5])
        #expect(PointMAEConfiguration.defaultTaps(depth: 4) == [0, 1, 3])
        #expect(PointMAEConfiguration.defaultTaps(depth: 3) == [0, 1, 2])
        #expect(PointMAEConfiguration.defaultTaps(depth: 1) == [0])
        #expect(PointMAEConfiguration.official.taps == [3, 7, 11])
    }

    @Test func flopsMatchTheSpecTable() {
        func gigaFLOPs(_ c: PointMAEConfiguration) -> Double { Double(c.forwardFLOPs) / 1e9 }
        #expect(abs(gigaFLOPs(.official) - 95.15) < 0.005)
        #expect(abs(gigaFLOPs(.small) - 16.85) < 0.005)
        var m3dm = PointMAEConfiguration.official
        m3dm.groupSize = 128
        #expect(abs(gigaFLOPs(m3dm) - 191.87) < 0.005)
        m3dm.groupCount = 16384
        #expect(abs(gigaFLOPs(m3dm) / 1000 - 7.71) < 0.005)
        var pretraining = PointMAEConfiguration.official
        pretraining.groupCount = 64
        #expect(abs(gigaFLOPs(pretraining) - 4.81) < 0.005)
        // The split 512→512 layer saves 8.3 G at (1024, 32) and 4.2 G at (512, 32).
        #expect(abs(Double(PointMAEConfiguration.official.forwardFLOPs - PointMAEConfiguration.official.executedFLOPs) / 1e9 - 8.3) < 0.05)
        #expect(abs(Double(PointMAEConfiguration.small.forwardFLOPs - PointMAEConfiguration.small.executedFLOPs) / 1e9 - 4.2) < 0.05)
        #expect(abs(gigaFLOPs(.tiny) - 6.457) < 0.001)
    }

    @Test func parameterCountsMatchTheSpec() {
        #expect(PointMAEConfiguration.official.parameterCount == 21_825_024)
        #expect(PointMAEConfiguration.small.parameterCount == 3_087_360)
        #expect(PointMAEConfiguration.tiny.parameterCount == 1_171_968)
    }

    @Test func validationRejectsInconsistentSettings() {
        var bad = PointMAEConfiguration.small
        bad.headCount = 5
        #expect(throws: PointMAEWeightsError.self) { try bad.validate() }
        bad = .small
        bad.taps = [1, 6]
        #expect(throws: PointMAEWeightsError.self) { try bad.validate() }
        bad = .small
        bad.taps = [3, 1]
        #expect(throws: PointMAEWeightsError.self) { try bad.validate() }
        bad = .small
        bad.encoderDimensions = 256
        #expect(throws: PointMAEWeightsError.self) { try PointMAEEncoder(configuration: bad, seed: 1) }
        #expect(throws: Never.self) { try PointMAEConfiguration.official.validate() }
    }

    @Test func codableFillsDefaults() throws {
        let decoded = try JSONDecoder().decode(
            PointMAEConfiguration.self, from: Data(#"{"dimension": 192, "depth": 6, "headCount": 3}"#.utf8))
        #expect(decoded.taps == [1, 3, 5])
        #expect(decoded.encoderDimensions == 192)
        #expect(decoded.layerNormEpsilon == 1e-5)
        let roundTrip = try JSONDecoder().decode(PointMAEConfiguration.self, from: JSONEncoder().encode(PointMAEConfiguration.tiny))
        #expect(roundTrip == .tiny)
    }

    @Test func configurationFromConverterMetadata() throws {
        let metadata = ["format": "pointmae-encoder-v1", "dim": "384", "depth": "12", "heads": "6", "encoder_dims": "384",
                        "bn_eps": "1e-05", "ln_eps": "1e-05", "gelu": "erf", "source": "pretrain.pth"]
        let configuration = try PointMAEConfiguration(checkpointMetadata: metadata, path: "x.safetensors")
        #expect(configuration.dimension == 384 && configuration.depth == 12 && configuration.headCount == 6)
        #expect(configuration.taps == [3, 7, 11])
        #expect(try PointMAEConfiguration(
            checkpointMetadata: PointMAEConfiguration.small.checkpointMetadata(source: "t"), path: "x") == .small)
        #expect(throws: PointMAEWeightsError.self) {
            try PointMAEConfiguration(checkpointMetadata: ["format": "other"], path: "x")
        }
        var tanh = metadata
        tanh["gelu"] = "tanh"
        #expect(throws: PointMAEWeightsError.self) { try PointMAEConfiguration(checkpointMetadata: tanh, path: "x") }
        var broken = metadata
        broken["depth"] = "twelve"
        #expect(throws: PointMAEWeightsError.self) { try PointMAEConfiguration(checkpointMetadata: broken, path: "x") }
    }
}
