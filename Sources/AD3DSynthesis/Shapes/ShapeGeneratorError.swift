import Foundation

/// A failure to generate a procedural shape: impossible settings, or a shape whose boundary
/// is (almost) entirely removed by its own operations.
public enum ShapeGeneratorError: Error, LocalizedError, Equatable {
    /// A configuration value is out of range.
    case invalidConfiguration(name: String, problem: String)
    /// Too few candidate surface points survived the constructive operations.
    case surfaceNotFound(shape: String, accepted: Int, candidates: Int)

    /// A one-line message saying what is wrong and how to fix it.
    public var errorDescription: String? {
        switch self {
        case .invalidConfiguration(let name, let problem):
            return "shape generator setting \(name): \(problem)"
        case .surfaceNotFound(let shape, let accepted, let candidates):
            return "the shape [\(shape)] kept only \(accepted) of \(candidates) candidate surface points; "
                + "its operations remove nearly all of its surface (use fewer or smaller operations)"
        }
    }
}
