import Foundation

/// Errors of the point features and memory banks (FPFH, nearest-neighbour bank, coreset) and of the
/// baselines built on them (BTF, PatchCore), while training or scoring.
public enum BaselineError: Error, LocalizedError, Equatable {
    /// Training was given no scans.
    case noTrainingScans
    /// A scan (described by `scan`, e.g. "training scan 3") has no points.
    case emptyScan(scan: String)
    /// The training scans have no extent (every bounding-box diagonal is 0), so no scale can be derived.
    case degenerateTrainingScans(count: Int)
    /// Parameter `name` has `value`, which breaks `requirement`.
    case invalidParameter(name: String, value: String, requirement: String)
    /// A feature matrix has `columns` columns where `expected` were needed.
    case featureDimensionMismatch(expected: Int, columns: Int)

    /// A message a user can act on.
    public var errorDescription: String? {
        switch self {
        case .noTrainingScans:
            return "training needs at least one scan of a good part; none was given."
        case let .emptyScan(scan):
            return "\(scan) has no points; remove it or re-export it with its points."
        case let .degenerateTrainingScans(count):
            return "all \(count) training scans have zero extent (every point coincides), "
                + "so no voxel size can be derived; check that the scans were read correctly."
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(value) is invalid; \(name) must be \(requirement)."
        case let .featureDimensionMismatch(expected, columns):
            return "features have \(columns) channels but the memory bank holds \(expected)-channel features; "
                + "score with the feature extractor the model was trained with."
        }
    }
}
