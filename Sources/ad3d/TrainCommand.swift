import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d train`: learns what good parts look like from a category's training scans.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a detector on the good scans of a category (CATEGORY/train/).",
        discussion: """
            Reads every supported scan in CATEGORY/train/ and writes one model file (safetensors). \
            Given a dataset root (one sub-folder per category), trains one model per category and \
            writes them into the -o folder as CATEGORY.safetensors — the layout `ad3d eval -m` \
            expects for a root.

            Methods: sca (default) — the main detector: frozen Point-MAE encoder, feature adaptor, \
            optimal-transport context aggregation, attention discriminator trained on selectively \
            corrupted features. The encoder is a seeded random one of --encoder-size until a \
            pretrained default ships, or the weights given with --encoder.
            """
    )

    @Argument(help: ArgumentHelp("A category folder (with train/), or a dataset root.", valueName: "dataset"))
    var dataset: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file to write (a folder for a dataset root).", valueName: "model"))
    var output: String

    @OptionGroup(title: "SCA detector") var sca: SCATrainingOptions
    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let layout = try DatasetLayout(discoveringAt: URL(fileURLWithPath: dataset))
        let outputURL = URL(fileURLWithPath: output)
        for category in layout.categories {
            let modelURL = layout.isSingleCategory
                ? outputURL : DetectorRegistry.modelURL(inFolder: outputURL, category: category.name)
            let summary = try train(category, to: modelURL)
            print(outputOptions.json ? try TextFormatting.json(summary) : summary.line)
        }
    }

    /// Trains and saves one category's model.
    private func train(_ category: DatasetCategory, to modelURL: URL) throws -> TrainingSummary {
        guard !category.trainScans.isEmpty else { throw TrainError.noTrainingScans(category: category.directory.path) }
        let start = ContinuousClock.now
        let scans = try category.trainScans.map {
            try PointCloudReader.read($0, meshSampleCount: scanOptions.meshPoints, seed: runtime.seed).cloud
        }
        let detector = try sca.train(scans: scans, label: category.name, runtime: runtime)
        try ModelFile.save(try detector.checkpoint(), to: modelURL)
        return TrainingSummary(
            category: category.name, method: SCADetector.methodName, scans: scans.count,
            encoder: detector.configuration.encoderSource, seconds: (ContinuousClock.now - start).seconds,
            model: modelURL.path)
    }
}

/// What `train` reports per category.
private struct TrainingSummary: Encodable {
    let category: String
    let method: String
    let scans: Int
    let encoder: String
    let seconds: Double
    let model: String

    var line: String {
        String(format: "%@: trained %@ on %d scans in %.1f s (encoder: %@) → %@", category, method, scans, seconds, encoder, model)
    }
}

/// Problems with the training data.
enum TrainError: Error, LocalizedError {
    case noTrainingScans(category: String)

    var errorDescription: String? {
        switch self {
        case .noTrainingScans(let category): return "\(category)/train: no supported scans to train on"
        }
    }
}
