import Foundation

/// A dataset folder that does not follow the Real3D-AD / Anomaly-ShapeNet layout.
public enum DatasetError: Error, LocalizedError, Equatable {
    /// The path does not exist or is not a directory.
    case notADirectory(path: String)
    /// A directory could not be listed.
    case unreadableFolder(path: String, reason: String)
    /// A category folder has no `test/` sub-folder.
    case missingTestFolder(category: String)
    /// A folder that must hold scans holds no readable scan file.
    case noScans(folder: String)
    /// Two scans in one folder share a file stem (e.g. `a.pcd` and `a.ply`).
    case duplicateStem(first: String, second: String)
    /// A ground-truth file names no test scan.
    case orphanGroundTruth(path: String, testFolder: String)
    /// A category has both `gt/` and `GT/` (possible on case-sensitive file systems).
    case ambiguousGroundTruthFolders(category: String)
    /// Neither the folder nor any of its sub-folders is a category.
    case noCategories(path: String)

    /// A one-line message naming what is wrong and where.
    public var errorDescription: String? {
        switch self {
        case .notADirectory(let path):
            return "\(path): no such directory"
        case .unreadableFolder(let path, let reason):
            return "\(path): cannot list the folder: \(reason)"
        case .missingTestFolder(let category):
            return "\(category): a category needs a test/ folder with the scans to evaluate"
        case .noScans(let folder):
            return "\(folder): no scan files (.pcd, .ply, .txt, ... point clouds) in this folder"
        case .duplicateStem(let first, let second):
            return "\(first) and \(second) have the same name; scans of a folder need distinct names"
        case .orphanGroundTruth(let path, let testFolder):
            return "\(path): ground truth without a test scan of the same name in \(testFolder)"
        case .ambiguousGroundTruthFolders(let category):
            return "\(category): has both gt/ and GT/; keep one ground-truth folder"
        case .noCategories(let path):
            return "\(path): not a category (no train/, test/ or gt/ folder) and no sub-folder is one"
        }
    }
}
