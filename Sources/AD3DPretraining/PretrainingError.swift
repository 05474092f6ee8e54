import Foundation

/// Problems setting up, resuming or feeding encoder pretraining.
public enum PretrainingError: Error, LocalizedError, Equatable {
    /// A setting is out of range or inconsistent with another.
    case invalidSetting(name: String, problem: String)
    /// A shape folder holds no readable mesh or point cloud.
    case emptyShapeFolder(path: String)
    /// A shape file could not be turned into a point cloud.
    case unusableShape(path: String, reason: String)
    /// A state file is not a pretraining state ad3d can resume.
    case invalidState(path: String, problem: String)
    /// A state file was written with different settings than the run resuming it.
    case stateMismatch(path: String, stored: String, requested: String)

    public var errorDescription: String? {
        switch self {
        case .invalidSetting(let name, let problem):
            return "invalid pretraining setting \(name): \(problem)"
        case .emptyShapeFolder(let path):
            return "\(path): no mesh (OFF, OBJ, STL) or point cloud (PCD, PLY, XYZ, NPY) found to pretrain on"
        case .unusableShape(let path, let reason):
            return "\(path): cannot be used as a pretraining shape: \(reason)"
        case .invalidState(let path, let problem):
            return "\(path): not a resumable pretraining state: \(problem)"
        case .stateMismatch(let path, let stored, let requested):
            return "\(path) was written by a run with other settings; resume with the same flags.\n  stored:    \(stored)\n  requested: \(requested)"
        }
    }
}
