import Foundation

/// A tensor whose shape differs from the one the encoder needs.
public struct PointMAEShapeMismatch: Sendable, Equatable, CustomStringConvertible {
    /// Clean parameter name.
    public var name: String
    /// The shape the configuration requires.
    public var expected: [Int]
    /// The shape found in the weights.
    public var actual: [Int]

    /// A mismatch record.
    public init(name: String, expected: [Int], actual: [Int]) {
        self.name = name
        self.expected = expected
        self.actual = actual
    }

    public var description: String { "\(name) has shape \(actual), expected \(expected)" }
}

/// Problems building a Point-MAE encoder from a configuration and weights.
public enum PointMAEWeightsError: Error, LocalizedError, Equatable {
    /// The configuration is inconsistent (e.g. D not divisible by H, taps out of range).
    case invalidConfiguration(reason: String)
    /// The weights do not fit the configuration; every problem is listed at once.
    case mismatchedWeights(missing: [String], unexpected: [String], misshapen: [PointMAEShapeMismatch])
    /// A checkpoint's metadata does not describe a Point-MAE encoder.
    case invalidMetadata(path: String, problem: String)
    /// The built-in encoder's resource bundle is not next to the executable.
    case builtInMissing(bundle: String, file: String)

    public var errorDescription: String? {
        switch self {
        case .invalidConfiguration(let reason):
            return "invalid Point-MAE configuration: \(reason)"
        case .mismatchedWeights(let missing, let unexpected, let misshapen):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.count): \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected \(unexpected.count): \(unexpected.joined(separator: ", "))") }
            if !misshapen.isEmpty { parts.append("wrong shape: \(misshapen.map(\.description).joined(separator: "; "))") }
            return "the Point-MAE weights do not match the configuration (\(parts.joined(separator: "; ")))"
        case .invalidMetadata(let path, let problem):
            return "\(path): not a Point-MAE encoder checkpoint: \(problem) "
                + "(convert an official pretrain.pth with Scripts/fixtures/convert_pointmae.py)"
        case .builtInMissing(let bundle, let file):
            return "the built-in encoder (\(bundle)/\(file)) is not installed next to the ad3d executable; "
                + "copy the bundle along with the executable, or pass --encoder FILE or --encoder random"
        }
    }
}
