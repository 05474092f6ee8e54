import AD3DKit
import ArgumentParser
import Foundation

/// Which Point-MAE encoder to use and how it patches a scan.
struct EncoderOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Encoder: 'builtin' (small, pretrained by ad3d pretrain), 'random' (seeded, for comparisons) or a safetensors file (ad3d or converted Point-MAE names).",
        valueName: "weights"))
    var encoder = "builtin"

    @Option(help: "Size of a random encoder: tiny (128×4), small (192×6, the built-in's size) or official (384×12).")
    var encoderSize: EncoderSize = .small

    @Option(help: "Patches per scan (FPS centres); default: the encoder's (tiny 256, small 512, official 1024).")
    var groups: Int?

    @Option(help: "Points per patch (KNN); default: the encoder's (32).")
    var groupSize: Int?

    func validate() throws {
        guard (groups ?? 1) > 0, (groupSize ?? 1) > 0 else {
            throw ValidationError("--groups and --group-size must be positive.")
        }
    }

    /// The encoder with the requested patching, and a description of where it came from. A random
    /// encoder is fitted to the patch size of `scans` as they will be seen (`frame`, `encodedPoints`).
    func load(
        seed: UInt64, fittedTo scans: [PointCloud], frame: FrameMode, encodedPoints: Int
    ) throws -> (encoder: PointMAEEncoder, source: String) {
        func patching(_ configuration: PointMAEConfiguration) -> PointMAEConfiguration {
            var configuration = configuration
            configuration.groupCount = groups ?? configuration.groupCount
            configuration.groupSize = groupSize ?? configuration.groupSize
            return configuration
        }
        if encoder == "random" {
            let model = try RandomEncoder.fitted(
                configuration: patching(encoderSize.configuration), seed: seed, scans: scans, frameMode: frame,
                encodedPoints: encodedPoints)
            return (model, "random \(encoderSize.rawValue) (variance-scaled), seed \(seed)")
        }
        let (loaded, source) = encoder == "builtin"
            ? (try BuiltInEncoder.load(), "built-in \(BuiltInEncoder.fileName)")
            : (try PointMAEEncoder(contentsOf: URL(fileURLWithPath: encoder)), URL(fileURLWithPath: encoder).lastPathComponent)
        return (try PointMAEEncoder(configuration: patching(loaded.configuration), weights: loaded.weights()), source)
    }
}

/// Preset encoder sizes.
enum EncoderSize: String, CaseIterable, ExpressibleByArgument {
    case tiny, small, official

    var configuration: PointMAEConfiguration {
        switch self {
        case .tiny: return .tiny
        case .small: return .small
        case .official: return .official
        }
    }
}
