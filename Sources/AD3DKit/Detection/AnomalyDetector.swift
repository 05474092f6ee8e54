import Foundation

/// A trained anomaly detector: scores a scan point by point and as a whole.
///
/// Every method (`sca`, the main detector; the `btf` and `patchcore` baselines) conforms, so that
/// `ad3d infer` and `ad3d eval` work unchanged for each. A detector is saved as a `ModelCheckpoint`
/// (named tensors plus a JSON configuration) and rebuilt from one.
public protocol AnomalyDetector: Sendable {
    /// The method's name as written in model files and given to `ad3d train --method`.
    static var methodName: String { get }

    /// Scores `cloud` (raw scan coordinates, any point count): one score per point in the
    /// cloud's order, and one object score; higher means more anomalous.
    func score(_ cloud: PointCloud) throws -> AnomalyScores

    /// Everything needed to rebuild this detector.
    func checkpoint() throws -> ModelCheckpoint

    /// Rebuilds a detector saved by `checkpoint()`; throws `ModelCheckpointError` on bad content.
    init(checkpoint: ModelCheckpoint) throws
}

extension AnomalyDetector {
    /// Scores `cloud`, read from `url`: any failure, scores that are not finite numbers included,
    /// is a `ScanScoringError` naming the file.
    public func score(_ cloud: PointCloud, readFrom url: URL) throws -> AnomalyScores {
        let scores: AnomalyScores
        do {
            scores = try score(cloud)
        } catch {
            throw ScanScoringError(path: url.path, reason: error.localizedDescription)
        }
        guard scores.objectScore.isFinite, scores.pointScores.allSatisfy(\.isFinite) else {
            throw ScanScoringError(path: url.path, reason: "the scores are not finite numbers (is the model file intact?)")
        }
        return scores
    }
}

/// A scan that was read but could not be scored (too few points, a registration that cannot
/// start, …), with the file it came from.
public struct ScanScoringError: Error, LocalizedError, Equatable {
    /// The scan file.
    public var path: String
    /// What the detector reported.
    public var reason: String

    /// "PATH: cannot score this scan: REASON".
    public var errorDescription: String? { "\(path): cannot score this scan: \(reason)" }
}

/// The output of a detector for one scan.
public struct AnomalyScores: Sendable, Equatable {
    /// One score per point, in the scan's point order.
    public var pointScores: [Float]
    /// The scan's score as a whole.
    public var objectScore: Float

    /// Scores for a scan.
    public init(pointScores: [Float], objectScore: Float) {
        self.pointScores = pointScores
        self.objectScore = objectScore
    }
}

/// A detector's saved state: its method, its configuration as JSON, and named float tensors
/// (dotted names from the module tree, e.g. `head.blocks.0.attn.qkv.weight`).
public struct ModelCheckpoint: Sendable, Equatable {
    /// `AnomalyDetector.methodName` of the detector that wrote it.
    public var method: String
    /// The detector's full configuration (and any scalars such as normalisation statistics), as JSON.
    public var configuration: String
    /// The detector's tensors by name.
    public var tensors: [String: Tensor]

    /// A checkpoint from its parts.
    public init(method: String, configuration: String, tensors: [String: Tensor]) {
        self.method = method
        self.configuration = configuration
        self.tensors = tensors
    }
}

/// Problems with a checkpoint's content.
public enum ModelCheckpointError: Error, LocalizedError, Equatable {
    /// The checkpoint was written by another method.
    case wrongMethod(expected: String, found: String)
    /// The configuration JSON could not be decoded.
    case invalidConfiguration(method: String, reason: String)
    /// Required tensors are absent.
    case missingTensors(names: [String])
    /// Tensors the detector does not know are present.
    case unexpectedTensors(names: [String])
    /// A tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], actual: [Int])

    public var errorDescription: String? {
        switch self {
        case .wrongMethod(let expected, let found):
            return "the model was trained with method '\(found)', not '\(expected)'"
        case .invalidConfiguration(let method, let reason):
            return "the \(method) model's configuration is invalid: \(reason)"
        case .missingTensors(let names):
            return "missing tensors: \(names.sorted().joined(separator: ", "))"
        case .unexpectedTensors(let names):
            return "unexpected tensors: \(names.sorted().joined(separator: ", "))"
        case .shapeMismatch(let name, let expected, let actual):
            return "tensor \(name) has shape \(actual), expected \(expected)"
        }
    }
}
