import Foundation

/// Finds the detector type that reads a model file, by the method it records.
public enum DetectorRegistry {
    /// Every method `ad3d train --method` offers, by name.
    public static let methods: [any AnomalyDetector.Type] = [SCADetector.self, BTFDetector.self, PatchCoreDetector.self]

    /// Loads the model file at `url` as a ready-to-score detector.
    public static func load(_ url: URL) throws -> any AnomalyDetector {
        let checkpoint = try ModelFile.load(url)
        guard let type = methods.first(where: { $0.methodName == checkpoint.method }) else {
            throw ModelFileError.unknownMethod(path: url.path, method: checkpoint.method)
        }
        do {
            return try type.init(checkpoint: checkpoint)
        } catch let error as ModelCheckpointError {
            throw ModelFileError.invalidContent(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The model file of category `name` inside a folder of per-category models.
    public static func modelURL(inFolder folder: URL, category name: String) -> URL {
        folder.appendingPathComponent(name).appendingPathExtension("safetensors")
    }
}
