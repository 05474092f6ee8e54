import AD3DSupport
import AD3DTensor
import Foundation

/// Shared checkpoint plumbing of the memory-bank detectors: JSON state, tensor presence and shape checks.
enum BaselineCheckpoint {
    /// Name of the memory bank tensor, `[B, C]`.
    static let bankName = "bank.features"
    /// Prefix of the feature extractor's tensors.
    static let extractorPrefix = "extractor."

    /// `value` as compact JSON with sorted keys (the same value always gives the same text).
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes the JSON `text` as `Value`, reporting any failure (including `BaselineError`s thrown
    /// by validating decoders) as `ModelCheckpointError.invalidConfiguration`.
    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, method: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: method, reason: ConfigurationDecoding.describe(error))
        }
    }

    /// Checks the method name and that the tensor names are exactly `expected`.
    static func requireContents(_ checkpoint: ModelCheckpoint, method: String, tensors expected: Set<String>) throws {
        guard checkpoint.method == method else {
            throw ModelCheckpointError.wrongMethod(expected: method, found: checkpoint.method)
        }
        let present = Set(checkpoint.tensors.keys)
        let missing = expected.subtracting(present)
        guard missing.isEmpty else { throw ModelCheckpointError.missingTensors(names: missing.sorted()) }
        let unexpected = present.subtracting(expected)
        guard unexpected.isEmpty else { throw ModelCheckpointError.unexpectedTensors(names: unexpected.sorted()) }
    }

    /// The memory bank: a `[B ≥ 1, columns]` tensor of finite values.
    static func bank(in checkpoint: ModelCheckpoint, method: String, columns: Int) throws -> Tensor {
        guard let bank = checkpoint.tensors[bankName] else { throw ModelCheckpointError.missingTensors(names: [bankName]) }
        guard bank.rank == 2, bank.shape[0] >= 1, bank.shape[1] == columns else {
            throw ModelCheckpointError.shapeMismatch(name: bankName, expected: [max(1, bank.shape.first ?? 1), columns], actual: bank.shape)
        }
        guard bank.storage.allSatisfy(\.isFinite) else {
            throw ModelCheckpointError.invalidConfiguration(method: method, reason: "\(bankName) holds NaN or infinite values")
        }
        return bank
    }
}
