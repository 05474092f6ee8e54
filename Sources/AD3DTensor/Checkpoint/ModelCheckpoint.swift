import Foundation

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
