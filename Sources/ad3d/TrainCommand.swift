import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d train`: learns what good parts look like from a category's training scans.
struct TrainCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a detector on the good scans of a category (CATEGORY/train/).",
        discussion: """
            Reads every supported scan in CATEGORY/train/ and writes one model file (safetensors). \
            Given a dataset root (one sub-folder per category), trains one model per category into \
            the -o folder as CATEGORY.safetensors, the layout `ad3d eval -m` expects for a root.

            Methods: sca (default; docs/METHOD.md), btf and patchcore (baselines). The method's \
            settings and ablation switches are listed by --help-hidden.
            """
    )

    @Argument(help: ArgumentHelp("A category folder (with train/), or a dataset root.", valueName: "dataset"))
    var dataset: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file to write (a folder for a dataset root).", valueName: "model"))
    var output: String

    @Option(help: "Detection method: sca (the main detector), btf or patchcore.")
    var method: TrainingMethod = .sca

    @Option(help: ArgumentHelp("PatchCore features: fpfh, or encoder (the Point-MAE patch tokens; encoder options apply).", visibility: .hidden))
    var features: PatchCoreFeatures = .fpfh

    @Option(help: ArgumentHelp("PatchCore: fraction of the training features kept by the greedy coreset.", visibility: .hidden))
    var coresetRatio: Float = PatchCoreConfiguration().coresetRatio

    @Option(help: ArgumentHelp(
        "Share of good scans the stored threshold may judge defective (calibrated on held-out training scans).",
        valueName: "rate"))
    var falseAlarmRate = ScoreCalibration.defaultFalseAlarmRate

    @OptionGroup(title: "SCA detector (its settings and ablations: --help-hidden)") var sca: SCATrainingOptions
    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard falseAlarmRate > 0, falseAlarmRate < 0.5 else {
            throw ValidationError("--false-alarm-rate must lie in (0, 0.5), not \(falseAlarmRate)")
        }
    }

    func execute() throws {
        let layout = try DatasetLayout(discoveringAt: URL(fileURLWithPath: dataset), readingTests: false)
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
        let reading = ProgressBar("\(category.name) reading scans", total: category.trainScans.count, enabled: logging.showsProgress)
        let scans = try category.trainScans.map { url in
            let cloud = try PointCloudReader.read(url, meshSampleCount: scanOptions.meshPoints, seed: runtime.seed).cloud
            try cloud.requireMeasurableExtent(path: url.path)
            reading.advance()
            return cloud
        }
        reading.finish()
        logging.logger.debug("\(category.name): read \(scans.count) scans in \(String(format: "%.2f", (ContinuousClock.now - start).seconds)) s")
        let (detector, summary, calibration): (any AnomalyDetector, DetectorSummary, ScoreCalibration?)
        do {
            let trained = try trainDetector(on: scans, label: category.name)
            (detector, summary) = (trained.detector, trained.summary)
            calibration = try calibrate(on: scans, label: category.name, trainedOn: trained.trainedOn)
        } catch {
            throw TrainError.untrainable(category: category.directory.path, reason: error.localizedDescription)
        }
        try ModelFile.save(try detector.checkpoint(), calibration: calibration, to: modelURL)
        return TrainingSummary(
            category: category.name, method: method.rawValue, scans: scans.count,
            seconds: (ContinuousClock.now - start).seconds, model: modelURL.path, detector: summary,
            thresholds: calibration.map(ThresholdSummary.init))
    }

    /// The score calibration of the detector `trainedOn` builds from subsets of `scans` (nil, with a
    /// warning, for a single training scan).
    private func calibrate(
        on scans: [PointCloud], label: String, trainedOn: @escaping @Sendable ([Int]) throws -> any AnomalyDetector
    ) throws -> ScoreCalibration? {
        let start = ContinuousClock.now
        let progress = ProgressBar("\(label) calibrating on held-out scans", total: scans.count, enabled: logging.showsProgress)
        let calibration = try ScoreCalibrator.calibrate(
            scans: scans, falseAlarmRate: falseAlarmRate, seed: runtime.seed, workers: runtime.scanWorkers(for: scans.count),
            progress: { done, _ in progress.update(completed: done) }, trainedOn: trainedOn)
        progress.finish()
        logging.logger.debug("\(label): calibrated in \(String(format: "%.2f", (ContinuousClock.now - start).seconds)) s")
        if calibration == nil {
            logging.logger.warning("\(label): one training scan leaves none held out to set thresholds on; the model gives scores without a verdict")
        }
        return calibration
    }

    /// The detector of the chosen method trained on `scans`, what it scores with, and the detector
    /// trained on any subset of them (by index; the work shared by every subset is done once here).
    private func trainDetector(on scans: [PointCloud], label: String) throws -> (
        detector: any AnomalyDetector, summary: DetectorSummary, trainedOn: @Sendable ([Int]) throws -> any AnomalyDetector
    ) {
        @Sendable func subset(_ indices: [Int]) -> [PointCloud] { indices.map { scans[$0] } }
        switch method {
        case .sca:
            let run = try sca.train(scans: scans, label: label, runtime: runtime, logging: logging)
            let fitting = ProgressBar("\(label) fitting memory and surface", total: 1, enabled: logging.showsProgress)
            let detector = try run.detector(trainedOn: Array(scans.indices))
            fitting.advance()
            fitting.finish()
            return (detector, DetectorSummary(sca: detector.configuration), { try run.detector(trainedOn: $0) })
        case .btf:
            return (try BTFDetector.train(scans: scans), DetectorSummary(features: "fpfh"), { try BTFDetector.train(scans: subset($0)) })
        case .patchcore:
            var settings = PatchCoreConfiguration()
            settings.coresetRatio = coresetRatio
            settings.seed = runtime.seed
            let configuration = settings
            guard features == .encoder else {
                return (
                    try PatchCoreDetector.train(scans: scans, configuration: configuration), DetectorSummary(features: "fpfh"),
                    { try PatchCoreDetector.train(scans: subset($0), configuration: configuration) }
                )
            }
            let frame = try sca.frameMode(for: scans, seed: runtime.seed)
            let (encoder, source) = try sca.encoderOptions.load(
                seed: runtime.seed, fittedTo: scans, frame: frame, encodedPoints: sca.encoderPoints)
            let extractor = EncoderFeatureExtractor(
                encoding: ScanEncoder(
                    encoder: encoder, frame: ScanFrame(mode: frame, scale: ScanFrame.categoryScale(of: scans)),
                    encodedPoints: sca.encoderPoints))
            return (
                try PatchCoreDetector.train(scans: scans, configuration: configuration, extractor: extractor),
                DetectorSummary(features: "encoder", encoder: source),
                { try PatchCoreDetector.train(scans: subset($0), configuration: configuration, extractor: extractor) }
            )
        }
    }
}

/// The methods `train --method` offers.
enum TrainingMethod: String, CaseIterable, ExpressibleByArgument {
    case sca, btf, patchcore
}

/// PatchCore's feature choices.
enum PatchCoreFeatures: String, CaseIterable, ExpressibleByArgument {
    case fpfh, encoder
}

/// Problems with the training data.
enum TrainError: Error, LocalizedError {
    case noTrainingScans(category: String)
    case untrainable(category: String, reason: String)

    var errorDescription: String? {
        switch self {
        case .noTrainingScans(let category): return "\(category)/train: no supported scans to train on"
        case .untrainable(let category, let reason): return "\(category): cannot train: \(reason)"
        }
    }
}
