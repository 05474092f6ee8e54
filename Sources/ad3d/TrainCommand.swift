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
            Given a dataset root (one sub-folder per category), trains one model per category and \
            writes them into the -o folder as CATEGORY.safetensors — the layout `ad3d eval -m` \
            expects for a root.

            Methods: sca (default) — the main detector: a frozen Point-MAE encoder (the built-in one \
            pretrained by `ad3d pretrain`, --encoder FILE, or --encoder random) encodes augmented \
            copies of the training scans into patch features; a patch is scored by --readout: \
            memory (default; distance to the nearest clean training patch feature), discriminator \
            (the trained head: feature adaptor, optimal-transport context aggregation, attention \
            discriminator trained on selectively corrupted features; minutes of training), \
            combined (both) or none (no patch score and no encoder: the surface terms below alone, \
            about 4× faster). Each point's score also adds its distance from the clean surface \
            pooled from the training scans (--surface-deviation, on unless the scans are in several \
            poses and not registered), and points near surface that the clean training scans have \
            but the scan lacks — a hole's rim, a bulge's surroundings — score higher \
            (--coverage-gaps). Parts in any pose (--pose any, or training scans that do not lie on top of \
            each other) are first registered onto the first training scan, in training and when \
            scoring (--registration).
            btf — Back to the Feature: FPFH of every point of a voxel-downsampled scan, scored by \
            the distance to the nearest training feature. patchcore — PatchCore: a greedy coreset \
            of FPFH (--features fpfh) or encoder patch features (--features encoder), with \
            PatchCore's reweighted object score.
            """
    )

    @Argument(help: ArgumentHelp("A category folder (with train/), or a dataset root.", valueName: "dataset"))
    var dataset: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file to write (a folder for a dataset root).", valueName: "model"))
    var output: String

    @Option(help: "Detection method: sca (the main detector), btf or patchcore.")
    var method: TrainingMethod = .sca

    @Option(help: "PatchCore features: fpfh, or encoder (the Point-MAE patch tokens; encoder options below apply).")
    var features: PatchCoreFeatures = .fpfh

    @Option(help: "PatchCore: fraction of the training features kept by the greedy coreset.")
    var coresetRatio: Float = PatchCoreConfiguration().coresetRatio

    @Option(help: ArgumentHelp(
        "Share of good scans the stored threshold may judge defective (calibrated on held-out training scans).",
        valueName: "rate"))
    var falseAlarmRate = ScoreCalibration.defaultFalseAlarmRate

    @OptionGroup(title: "SCA detector (and PatchCore encoder features)") var sca: SCATrainingOptions
    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
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
        let scans = try category.trainScans.map { url in
            let cloud = try PointCloudReader.read(url, meshSampleCount: scanOptions.meshPoints, seed: runtime.seed).cloud
            try cloud.requireMeasurableExtent(path: url.path)
            return cloud
        }
        let (detector, features, calibration): (any AnomalyDetector, String, ScoreCalibration?)
        do {
            let trained = try trainDetector(on: scans, label: category.name)
            (detector, features) = (try trained.trainedOn(Array(scans.indices)), trained.features)
            calibration = try calibrate(on: scans, label: category.name, trainedOn: trained.trainedOn)
        } catch {
            throw TrainError.untrainable(category: category.directory.path, reason: error.localizedDescription)
        }
        try ModelFile.save(try detector.checkpoint(), calibration: calibration, to: modelURL)
        return TrainingSummary(
            category: category.name, method: method.rawValue, scans: scans.count, features: features,
            seconds: (ContinuousClock.now - start).seconds, model: modelURL.path, calibration: calibration)
    }

    /// The score calibration of the detector `trainedOn` builds from subsets of `scans` (nil, with a
    /// warning, for a single training scan).
    private func calibrate(
        on scans: [PointCloud], label: String, trainedOn: ([Int]) throws -> any AnomalyDetector
    ) throws -> ScoreCalibration? {
        let progress = ProgressBar("\(label) calibrating", total: scans.count)
        defer { progress.finish() }
        var reported = 0
        let calibration = try ScoreCalibrator.calibrate(
            scans: scans, falseAlarmRate: falseAlarmRate, seed: runtime.seed, workers: runtime.scanWorkers(for: scans.count),
            progress: { done, _ in
                progress.advance(by: done - reported)
                reported = done
            }, trainedOn: trainedOn)
        if calibration == nil {
            var stderr = StandardError()
            print("\(label): one training scan leaves none held out to set thresholds on; the model gives scores without a verdict", to: &stderr)
        }
        return calibration
    }

    /// The detector of the chosen method trained on any subset of `scans` (by index; the work
    /// shared by every subset done once), and a description of its features.
    private func trainDetector(on scans: [PointCloud], label: String) throws -> (
        trainedOn: ([Int]) throws -> any AnomalyDetector, features: String
    ) {
        func subset(_ indices: [Int]) -> [PointCloud] { indices.map { scans[$0] } }
        switch method {
        case .sca:
            let run = try sca.train(scans: scans, label: label, runtime: runtime)
            let configuration = try run.detector(trainedOn: Array(scans.indices)).configuration
            let memory = configuration.readout.usesMemory ? String(format: ", memory λ %g", configuration.memoryPositionWeight) : ""
            let registration = configuration.registration == .never ? "" : ", registration " + configuration.registration.rawValue
            let gaps = configuration.coverageGaps ? " and coverage gaps" : ""
            let warp = configuration.surfaceWarp == .always ? " (non-rigid)" : ""
            let surface = configuration.surfaceDeviation ? ", surface deviation" + warp + gaps : ""
            let patches = configuration.readout.usesEncoder ? "encoder " + configuration.encoderSource : "read-out none (no encoder pass)"
            return ({ try run.detector(trainedOn: $0) }, patches + memory + registration + surface)
        case .btf:
            return ({ try BTFDetector.train(scans: subset($0)) }, "fpfh")
        case .patchcore:
            var configuration = PatchCoreConfiguration()
            configuration.coresetRatio = coresetRatio
            configuration.seed = runtime.seed
            guard features == .encoder else {
                return ({ try PatchCoreDetector.train(scans: subset($0), configuration: configuration) }, "fpfh")
            }
            let frame = try sca.frameMode(for: scans, seed: runtime.seed)
            let (encoder, source) = try sca.encoderOptions.load(
                seed: runtime.seed, fittedTo: scans, frame: frame, encodedPoints: sca.points)
            let extractor = EncoderFeatureExtractor(
                encoding: ScanEncoder(
                    encoder: encoder, frame: ScanFrame(mode: frame, scale: ScanFrame.categoryScale(of: scans)),
                    encodedPoints: sca.points))
            return (
                { try PatchCoreDetector.train(scans: subset($0), configuration: configuration, extractor: extractor) },
                "encoder " + source
            )
        }
    }
}

/// What `train` reports per category.
private struct TrainingSummary: Encodable {
    let category: String
    let method: String
    let scans: Int
    let features: String
    let seconds: Double
    let model: String
    let calibration: ScoreCalibration?

    var line: String {
        let trained = String(
            format: "%@: trained %@ on %d scan%@ in %.1f s (%@) → %@", category, method, scans, scans == 1 ? "" : "s", seconds,
            features, model)
        guard let calibration else { return trained }
        let kinds = [("complete scans", calibration.complete), ("single views", calibration.view)].compactMap { name, thresholds in
            thresholds.map { String(format: "%@ object %.4g, point %.4g", name, $0.object, $0.point) }
        }
        return trained + String(format: "\n  thresholds for %g%% false alarms: ", 100 * calibration.falseAlarmRate)
            + kinds.joined(separator: "; ")
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
