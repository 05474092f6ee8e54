import AD3DTensor
import Foundation

/// ad3d model files: one safetensors file holding a detector's tensors, with metadata naming the
/// file format and its version, the method, the method's full configuration as JSON, and, for
/// models trained on two or more scans, the score calibration as JSON (`calibration`).
public enum ModelFile {
    /// The newest model format this build reads and the one it writes.
    public static let formatVersion = 1
    /// The value of the `format` metadata key that marks an ad3d model.
    static let formatName = "ad3d-model"

    /// Metadata key of the score calibration.
    static let calibrationKey = "calibration"

    /// Saves `checkpoint`, with its `calibration` when there is one, to `url` (atomically).
    public static func save(_ checkpoint: ModelCheckpoint, calibration: ScoreCalibration? = nil, to url: URL) throws {
        var metadata = [
            "format": formatName,
            "format_version": String(formatVersion),
            "method": checkpoint.method,
            "configuration": checkpoint.configuration,
        ]
        metadata[calibrationKey] = try calibration?.json()
        try SafeTensors.write(checkpoint.tensors, metadata: metadata, to: url)
    }

    /// The score calibration recorded in a parsed model file (nil when it has none: models trained
    /// on one scan, or by an ad3d before calibration); `path` names the file in errors.
    public static func calibration(of file: SafeTensorsFile, path: String) throws -> ScoreCalibration? {
        guard let json = file.metadata[calibrationKey] else { return nil }
        do {
            return try ScoreCalibration(json: json)
        } catch {
            throw ModelFileError.invalidContent(path: path, reason: "the calibration is unreadable: \(error.localizedDescription)")
        }
    }

    /// Loads the checkpoint saved in `url`, refusing files that are not ad3d models or that were
    /// written by a newer ad3d.
    public static func load(_ url: URL) throws -> ModelCheckpoint {
        try checkpoint(of: read(url), path: url.path)
    }

    /// The parsed safetensors file at `url`, refusing a folder by name.
    static func read(_ url: URL) throws -> SafeTensorsFile {
        if isFolder(url) == true { throw ModelFileError.folderInsteadOfModel(path: url.path) }
        return try SafeTensors.read(url)
    }

    /// Whether the item at `url` is a folder; nil when there is none.
    static func isFolder(_ url: URL) -> Bool? {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) ? isDirectory.boolValue : nil
    }

    /// The checkpoint held by a parsed safetensors file, refusing files that are not ad3d models,
    /// that were written by a newer ad3d, or whose tensors hold NaN or infinite values; `path`
    /// names the file in errors.
    public static func checkpoint(of file: SafeTensorsFile, path: String) throws -> ModelCheckpoint {
        let metadata = file.metadata
        guard metadata["format"] == formatName else {
            throw ModelFileError.notAModel(path: path)
        }
        guard let text = metadata["format_version"], let version = Int(text), version >= 1 else {
            throw ModelFileError.unknownVersion(path: path, version: metadata["format_version"] ?? "missing")
        }
        guard version <= formatVersion else {
            throw ModelFileError.newerVersion(path: path, version: version, supported: formatVersion)
        }
        guard let method = metadata["method"], let configuration = metadata["configuration"] else {
            throw ModelFileError.missingMetadata(path: path, key: metadata["method"] == nil ? "method" : "configuration")
        }
        if let name = file.tensors.keys.sorted().first(where: { !file.tensors[$0]!.storage.allSatisfy(\.isFinite) }) {
            throw ModelFileError.invalidContent(path: path, reason: "tensor '\(name)' holds NaN or infinite values")
        }
        return ModelCheckpoint(method: method, configuration: configuration, tensors: file.tensors)
    }
}

/// Problems with a model file as a whole (its tensors' content is checked by each detector).
public enum ModelFileError: Error, LocalizedError, Equatable {
    /// A safetensors file without ad3d's `format` metadata.
    case notAModel(path: String)
    /// A format version that is not a positive integer.
    case unknownVersion(path: String, version: String)
    /// A model written by a newer ad3d.
    case newerVersion(path: String, version: Int, supported: Int)
    /// A required metadata key is absent.
    case missingMetadata(path: String, key: String)
    /// The file names a method this build does not know.
    case unknownMethod(path: String, method: String)
    /// The tensors or configuration do not fit the method.
    case invalidContent(path: String, reason: String)
    /// A folder was given where one model file is needed (one category).
    case folderInsteadOfModel(path: String)
    /// A file was given where the folder of per-category models is needed (a dataset root).
    case modelInsteadOfFolder(path: String)

    public var errorDescription: String? {
        switch self {
        case .notAModel(let path):
            return "\(path): not an ad3d model (a safetensors file without ad3d's format metadata)"
        case .unknownVersion(let path, let version):
            return "\(path): unknown model format version '\(version)'"
        case .newerVersion(let path, let version, let supported):
            return "\(path): model format version \(version) was written by a newer ad3d; this build reads versions up to \(supported)"
        case .missingMetadata(let path, let key):
            return "\(path): model metadata lacks '\(key)'"
        case .unknownMethod(let path, let method):
            return "\(path): unknown detection method '\(method)'"
        case .invalidContent(let path, let reason):
            return "\(path): \(reason)"
        case .folderInsteadOfModel(let path):
            return "\(path): is a folder; a model file (.safetensors written by ad3d train) is expected here"
        case .modelInsteadOfFolder(let path):
            return "\(path): is a file; a dataset root needs the folder of CATEGORY.safetensors models that ad3d train writes for it"
        }
    }
}
