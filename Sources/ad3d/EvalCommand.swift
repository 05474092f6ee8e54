import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d eval`: object- and point-level AUROC/AUPR of saved anomaly scores.
struct EvalCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Compute AUROC and AUPR of a model, or of saved scores, against a dataset's ground truth.",
        discussion: """
            Either run a model on the test scans (-m MODEL; for a dataset root, MODEL is the \
            folder `ad3d train` wrote, holding CATEGORY.safetensors per category), or read score \
            files someone wrote before (--scores DIR).

            DATASET is a category folder, or a dataset root whose sub-folders are
            categories (Real3D-AD / Anomaly-ShapeNet layout):

              CATEGORY/test/      test scans (.pcd, .ply, .txt, ...)
              CATEGORY/gt/        (or GT/) SCAN.txt per defective test scan,
                                  one line "x y z label" per point; test scans
                                  without a gt file are good

            The score folder holds, for each category (for a dataset root: in a
            sub-folder named like the category):

              SCAN.txt            one score per line, one line per point, in the
                                  scan's point order (for a defective scan: the
                                  order of its gt file)
              objects.csv         header "scan,score", then one row per test scan

            SCAN is the scan's file name without extension; higher scores mean more
            anomalous. A score file with a different number of points is an error.

            Object AUROC/AUPR rank the test scans by object score (defective =
            positive). Point AUROC/AUPR pool all points of all test scans of a
            category. Both follow scikit-learn's roc_auc_score and
            average_precision_score (tied scores grouped, no interpolation). A
            metric is n/a (null in JSON) when the test set lacks good or defective
            samples; the mean row averages the categories where it is defined.
            With -m, a last table counts the verdicts of the model's stored
            thresholds: good scans judged defective (false alarms) and defective
            scans judged defective (`verdicts` in JSON; null for a model without
            thresholds and for --scores).
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file (or folder of per-category models) to run on test/.", valueName: "model"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Folder with saved score files (layout above), instead of -m.", valueName: "dir"))
    var scores: String?

    @Option(help: ArgumentHelp("With -m: also write the score files into this folder.", valueName: "dir"))
    var saveScores: String?

    @Argument(help: ArgumentHelp("A category folder, or a dataset root with one sub-folder per category.", valueName: "dataset"))
    var dataset: String

    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (model == nil) != (scores == nil) else {
            throw ValidationError("Give exactly one of -m MODEL and --scores DIR.")
        }
        if saveScores != nil && model == nil { throw ValidationError("--save-scores needs -m MODEL.") }
    }

    func execute() throws {
        let layout = try DatasetLayout(discoveringAt: URL(fileURLWithPath: dataset))
        let report: EvaluationReport
        if let scores {
            report = try ScoreFileEvaluation.evaluate(
                layout, scores: ScoreDirectory(url: URL(fileURLWithPath: scores, isDirectory: true)))
        } else {
            report = EvaluationReport(categories: try layout.categories.map { try evaluateModel(on: $0, in: layout) })
        }
        print(output.json ? try report.json() : report.table())
    }

    /// Runs the category's model on its test scans.
    private func evaluateModel(on category: DatasetCategory, in layout: DatasetLayout) throws -> CategoryEvaluation {
        let model = try DetectorRegistry.loadModel(
            DetectorRegistry.modelURL(
                given: URL(fileURLWithPath: model ?? ""), category: category.name, perCategoryFolder: !layout.isSingleCategory))
        let saveFolder = saveScores.map { ScoreDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) }
        let workers = runtime.scanWorkers(for: category.testSamples.count)
        let progress = ProgressBar("eval \(category.name) scans", total: category.testSamples.count, enabled: logging.showsProgress)
        defer { progress.finish() }
        let start = ContinuousClock.now
        defer { logging.logger.debug("\(category.name): \(category.testSamples.count) scans scored in \(String(format: "%.2f", (ContinuousClock.now - start).seconds)) s") }
        return try DetectorEvaluation.evaluate(
            category, detector: model.detector, calibration: model.calibration,
            saveScores: layout.isSingleCategory ? saveFolder : saveFolder?.category(category.name),
            meshSampleCount: scanOptions.meshPoints, seed: runtime.seed, workers: workers,
            progress: { progress.advance() })
    }
}
