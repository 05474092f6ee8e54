import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// PatchCore features from a frozen Point-MAE encoder: one feature row per patch (the tapped
/// block outputs through the final norm), positioned at the patch centre.
public struct EncoderFeatureExtractor: PatchFeatureExtractor {
    /// Written in checkpoints.
    public static let kind = "encoder"

    /// The encoder with its normalisation and point budget.
    public let encoding: ScanEncoder

    /// An extractor over `encoding`.
    public init(encoding: ScanEncoder) {
        self.encoding = encoding
    }

    public var featureDimension: Int { encoding.encoder.configuration.featureDimensions }

    public func extract(_ cloud: PointCloud) throws -> PatchFeatures {
        let (_, features, centerIndices) = try encoding.encode(normalised: encoding.frame.normalise(cloud))
        // Positions in the scan's own coordinates, so scores propagate to its raw points.
        return PatchFeatures(positions: cloud.selecting(centerIndices), features: features)
    }

    public func saved() throws -> SavedFeatureExtractor {
        let settings = Settings(
            encoder: encoding.encoder.configuration, frame: encoding.frame, encodedPoints: encoding.encodedPoints)
        return SavedFeatureExtractor(
            kind: Self.kind, configuration: try TextFormatting.json(settings), tensors: encoding.encoder.weights())
    }

    /// Rebuilds a saved extractor.
    public init(saved: SavedFeatureExtractor) throws {
        let settings: Settings
        do {
            settings = try JSONDecoder().decode(Settings.self, from: Data(saved.configuration.utf8))
            try ScanEncoder.validate(encoder: settings.encoder, frame: settings.frame, encodedPoints: settings.encodedPoints)
        } catch {
            throw ModelCheckpointError.invalidConfiguration(
                method: PatchCoreDetector.methodName, reason: ConfigurationDecoding.describe(error))
        }
        let encoder: PointMAEEncoder
        do {
            encoder = try PointMAEEncoder(configuration: settings.encoder, weights: saved.tensors)
        } catch {
            throw ModelCheckpointError.invalidConfiguration(
                method: PatchCoreDetector.methodName, reason: error.localizedDescription)
        }
        self.init(encoding: ScanEncoder(encoder: encoder, frame: settings.frame, encodedPoints: settings.encodedPoints))
    }

    /// The extractor's settings as saved.
    private struct Settings: Codable {
        var encoder: PointMAEConfiguration
        var frame: ScanFrame
        var encodedPoints: Int
    }
}
