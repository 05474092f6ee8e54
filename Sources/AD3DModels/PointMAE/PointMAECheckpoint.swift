import AD3DTensor
import Foundation

/// Point-MAE encoder checkpoints: safetensors files with the clean parameter names of `PointMAEEncoder`
/// and the metadata written by `Scripts/fixtures/convert_pointmae.py` (`format=pointmae-encoder-v1`, `dim`,
/// `depth`, `heads`, `encoder_dims`, `bn_eps`, `ln_eps`, `gelu=erf`, `source`).
extension PointMAEConfiguration {
    /// Metadata key holding the whole configuration as JSON (written by ad3d, optional on reading).
    static let configurationMetadataKey = "ad3d_configuration"

    /// The checkpoint metadata describing this configuration.
    public func checkpointMetadata(source: String) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [
            "format": Self.checkpointFormat, "dim": "\(dimension)", "depth": "\(depth)", "heads": "\(headCount)",
            "encoder_dims": "\(encoderDimensions)", "bn_eps": "\(batchNormEpsilon)", "ln_eps": "\(layerNormEpsilon)",
            "gelu": "erf", "source": source, Self.configurationMetadataKey: json,
        ]
    }

    /// The configuration described by checkpoint `metadata` read from `path`: the full JSON when
    /// ad3d wrote it, otherwise the converter's keys with G 1024, K 32 and the default taps.
    public init(checkpointMetadata metadata: [String: String], path: String) throws {
        func fail(_ problem: String) -> PointMAEWeightsError { .invalidMetadata(path: path, problem: problem) }
        guard metadata["format"] == Self.checkpointFormat else {
            throw fail("metadata 'format' is \(metadata["format"].map { "'\($0)'" } ?? "absent"), expected '\(Self.checkpointFormat)'")
        }
        if let gelu = metadata["gelu"], gelu != "erf" { throw fail("gelu '\(gelu)' is not the exact erf form") }
        if let json = metadata[Self.configurationMetadataKey] {
            do {
                self = try JSONDecoder().decode(PointMAEConfiguration.self, from: Data(json.utf8))
            } catch {
                throw fail("'\(Self.configurationMetadataKey)' is not a valid configuration (\(error))")
            }
            return
        }
        func integer(_ key: String) throws -> Int {
            guard let text = metadata[key], let value = Int(text) else { throw fail("'\(key)' is missing or not an integer") }
            return value
        }
        func epsilon(_ key: String) throws -> Float {
            guard let text = metadata[key] else { return 1e-5 }
            guard let value = Float(text) else { throw fail("'\(key)' = '\(text)' is not a number") }
            return value
        }
        self.init(
            dimension: try integer("dim"), depth: try integer("depth"), headCount: try integer("heads"),
            groupCount: 1024, groupSize: 32, batchNormEpsilon: try epsilon("bn_eps"), layerNormEpsilon: try epsilon("ln_eps"))
        if metadata["encoder_dims"] != nil { encoderDimensions = try integer("encoder_dims") }
    }
}

extension PointMAEEncoder {
    /// Loads an encoder checkpoint; tensors outside `encoder.` (a converted decoder) are ignored.
    public init(contentsOf url: URL) throws {
        let file = try SafeTensors.read(url)
        let configuration = try PointMAEConfiguration(checkpointMetadata: file.metadata, path: url.path)
        try self.init(configuration: configuration, weights: file.tensors.filter { $0.key.hasPrefix("encoder.") })
    }

    /// Saves the weights (BatchNorm unfolded) and configuration as a checkpoint `init(contentsOf:)` reads.
    public func save(to url: URL, storage: SafeTensorsStorage = .float32, source: String = "ad3d") throws {
        try SafeTensors.write(weights(), metadata: configuration.checkpointMetadata(source: source), to: url, storage: storage)
    }
}
