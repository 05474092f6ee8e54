import Foundation

/// The main detector (method.md): a frozen Point-MAE encoder, then the trained head — feature
/// adaptor, optimal-transport spatial context aggregation and attention discriminator — scoring
/// every patch in one forward pass; patch scores are spread to the points.
public struct SCADetector: AnomalyDetector {
    public static let methodName = "sca"
    /// Prefix of the head's tensors in a checkpoint (the encoder's already start with `encoder.`).
    static let headPrefix = "head."

    /// The full configuration, including normalisation scale and score statistics.
    public let configuration: SCAConfiguration
    /// The frozen encoder.
    public let encoder: PointMAEEncoder
    /// The trained head.
    public let head: DetectorHead

    /// A detector from its parts.
    public init(configuration: SCAConfiguration, encoder: PointMAEEncoder, head: DetectorHead) {
        self.configuration = configuration
        self.encoder = encoder
        self.head = head
    }

    /// How scans are encoded: this detector's encoder, frame and point budget.
    var scanEncoder: ScanEncoder {
        ScanEncoder(encoder: encoder, frame: configuration.frame, encodedPoints: configuration.encodedPoints)
    }

    public func score(_ cloud: PointCloud) throws -> AnomalyScores {
        try score(cloud, timings: nil)
    }

    /// Scores `cloud`, recording with `timings` the stages "normalise", "patch",
    /// "encoder", "head" and "interpolate".
    public func score(_ cloud: PointCloud, timings: StageTimings?) throws -> AnomalyScores {
        let normalised = timings.measure("normalise") { configuration.frame.normalise(cloud) }
        let (centers, features, _) = try scanEncoder.encode(normalised: normalised, timings: timings)
        let scores = try timings.measure("head") {
            try head.logits(features: features, centers: centers).map(configuration.statistics.standardized)
        }
        let pointScores = try timings.measure("interpolate") {
            try configuration.interpolation.pointScores(
                for: normalised, centers: PointCloud(coordinates: centers.storage), scores: scores)
        }
        return AnomalyScores(pointScores: pointScores, objectScore: configuration.objectScore.objectScore(of: scores))
    }

    public func checkpoint() throws -> ModelCheckpoint {
        var tensors = encoder.weights()
        for (name, tensor) in head.parameters() {
            tensors[Self.headPrefix + name] = tensor
        }
        return ModelCheckpoint(
            method: Self.methodName, configuration: try TextFormatting.json(configuration), tensors: tensors)
    }

    public init(checkpoint: ModelCheckpoint) throws {
        guard checkpoint.method == Self.methodName else {
            throw ModelCheckpointError.wrongMethod(expected: Self.methodName, found: checkpoint.method)
        }
        let configuration: SCAConfiguration
        do {
            configuration = try JSONDecoder().decode(SCAConfiguration.self, from: Data(checkpoint.configuration.utf8))
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: Self.methodName, reason: "\(error)")
        }
        var encoderTensors = [String: Tensor](), headTensors = [String: Tensor]()
        for (name, tensor) in checkpoint.tensors {
            if name.hasPrefix(Self.headPrefix) {
                headTensors[String(name.dropFirst(Self.headPrefix.count))] = tensor
            } else {
                encoderTensors[name] = tensor
            }
        }
        let encoder: PointMAEEncoder
        do {
            encoder = try PointMAEEncoder(configuration: configuration.encoder, weights: encoderTensors)
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: Self.methodName, reason: error.localizedDescription)
        }
        self.init(
            configuration: configuration, encoder: encoder,
            head: try DetectorHead(configuration: configuration.head, parameters: headTensors))
    }
}
