import AD3DTensor
import Foundation

/// Finds the detector type that reads a model file, by the method it records.
public enum DetectorRegistry {
    /// Every method `ad3d train --method` offers, by name.
    public static let methods: [any AnomalyDetector.Type] = [SCADetector.self, BTFDetector.self, PatchCoreDetector.self]

    /// Loads the model file at `url` as a ready-to-score detector.
    public static func load(_ url: URL) throws -> any AnomalyDetector {
        try loadModel(url).detector
    }

    /// Loads the model file at `url`: its detector and its score calibration.
    public static func loadModel(_ url: URL) throws -> TrainedModel {
        let file = try ModelFile.read(url)
        return TrainedModel(
            detector: try detector(from: ModelFile.checkpoint(of: file, path: url.path), path: url.path),
            calibration: try ModelFile.calibration(of: file, path: url.path))
    }

    /// A ready-to-score detector rebuilt from `checkpoint`; `path` names the model file in errors.
    public static func detector(from checkpoint: ModelCheckpoint, path: String) throws -> any AnomalyDetector {
        guard let type = methods.first(where: { $0.methodName == checkpoint.method }) else {
            throw ModelFileError.unknownMethod(path: path, method: checkpoint.method)
        }
        do {
            return try type.init(checkpoint: checkpoint)
        } catch {
            throw ModelFileError.invalidContent(path: path, reason: error.localizedDescription)
        }
    }

    /// The model of category `name` that the user's `model` names: `model` itself for a single
    /// category, `model/<name>.safetensors` for a dataset root (`perCategoryFolder`), where a
    /// file instead of a folder is an error saying so.
    public static func modelURL(given model: URL, category name: String, perCategoryFolder: Bool) throws -> URL {
        guard perCategoryFolder else { return model }
        if ModelFile.isFolder(model) == false { throw ModelFileError.modelInsteadOfFolder(path: model.path) }
        return modelURL(inFolder: model, category: name)
    }

    /// The model file of category `name` inside a folder of per-category models.
    public static func modelURL(inFolder folder: URL, category name: String) -> URL {
        folder.appendingPathComponent(name).appendingPathExtension("safetensors")
    }
}
