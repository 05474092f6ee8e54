import AD3DKit
import Foundation

/// The scan files named on a command line.
enum ScanList {
    /// Files as given, with each folder replaced by its supported scans (in `NaturalOrder`).
    /// Two scans with the same stem would overwrite each other's score files, so that is an error.
    static func expand(_ arguments: [String]) throws -> [URL] {
        var files = [URL]()
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw ScanListError.missing(path: argument)
            }
            guard isDirectory.boolValue else {
                files.append(URL(fileURLWithPath: argument))
                continue
            }
            let folder = URL(fileURLWithPath: argument, isDirectory: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: argument).sortedNaturally()
            let scans = names.map { folder.appendingPathComponent($0) }.filter(PointCloudReader.isSupported)
            guard !scans.isEmpty else { throw ScanListError.emptyFolder(path: argument) }
            files += scans
        }
        var seen = [String: URL]()
        for file in files {
            if let other = seen.updateValue(file, forKey: stem(file)) {
                throw ScanListError.duplicateStem(first: other.path, second: file.path)
            }
        }
        return files
    }

    /// The file name without its extension: the scan's name in score files.
    static func stem(_ url: URL) -> String { url.deletingPathExtension().lastPathComponent }
}

/// Problems with the scan arguments.
enum ScanListError: Error, LocalizedError {
    case missing(path: String)
    case emptyFolder(path: String)
    case duplicateStem(first: String, second: String)

    var errorDescription: String? {
        switch self {
        case .missing(let path): return "\(path): no such file or folder"
        case .emptyFolder(let path): return "\(path): the folder holds no supported scans"
        case .duplicateStem(let first, let second):
            return "\(first) and \(second) have the same name; their score files would collide"
        }
    }
}
