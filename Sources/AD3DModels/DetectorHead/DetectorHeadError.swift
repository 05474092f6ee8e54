import Foundation

/// Problems with the detector head's configuration or inputs.
public enum DetectorHeadError: Error, LocalizedError, Equatable {
    /// The configuration cannot build a head.
    case invalidConfiguration(reason: String)
    /// Training was given no samples.
    case noSamples
    /// A sample's features are not `[G ≥ 1, C]` with the configured `C`.
    case featureShape(sample: Int, expectedChannels: Int, actual: [Int])
    /// A sample's centres are not `[G, 3]` for its `G` tokens.
    case centerShape(sample: Int, tokens: Int, actual: [Int])

    /// The message of `invalidConfiguration`, or the description of other cases.
    var reason: String {
        if case .invalidConfiguration(let reason) = self { return reason }
        return errorDescription ?? "\(self)"
    }

    public var errorDescription: String? {
        switch self {
        case .invalidConfiguration(let reason):
            return "invalid detector head configuration: \(reason)"
        case .noSamples:
            return "no training samples: the detector head needs encoded good scans to train on"
        case .featureShape(let sample, let expected, let actual):
            return "sample \(sample): features have shape \(actual), expected [tokens ≥ 1, \(expected)] "
                + "(the encoder's output width must match the head's inputDimensions)"
        case .centerShape(let sample, let tokens, let actual):
            return "sample \(sample): centres have shape \(actual), expected [\(tokens), 3]"
        }
    }
}
