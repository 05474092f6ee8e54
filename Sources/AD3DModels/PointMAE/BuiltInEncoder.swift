import Foundation

/// The encoder shipped with ad3d: a `small` Point-MAE encoder pretrained by `ad3d pretrain` (masked
/// autoencoding with the sampling-consistency loss) on procedurally generated parts
/// (`Scripts/experiments/pretrain.sh`), stored as float16 in the package's resource bundle. Found without
/// configuration next to the `ad3d` executable.
public enum BuiltInEncoder {
    /// The resource's file name.
    public static let fileName = "encoder-small.safetensors"
    /// The resource bundle SwiftPM builds for this library, next to the executable.
    static let bundleName = "ad3d_AD3DModels.resources"

    /// Where the built-in encoder is, or nil when it is not installed next to the executable.
    public static var url: URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let folders = [Bundle.main.bundleURL, Bundle.main.executableURL?.deletingLastPathComponent(), executable.deletingLastPathComponent()]
        return folders.compactMap { $0?.appendingPathComponent(bundleName).appendingPathComponent(fileName) }
            .first { FileManager.default.isReadableFile(atPath: $0.path) }
    }

    /// Loads the built-in encoder; throws `PointMAEWeightsError.builtInMissing` when it is not installed.
    public static func load() throws -> PointMAEEncoder {
        guard let url else { throw PointMAEWeightsError.builtInMissing(bundle: bundleName, file: fileName) }
        return try PointMAEEncoder(contentsOf: url)
    }
}
