import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d report`: a self-contained HTML page of a model's results on a labelled test set.
struct ReportCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a visual report (one HTML file) of a model's results on a labelled test set.",
        discussion: """
            Scores the test scans of DATASET (a category folder, or a dataset root with -m the \
            folder of CATEGORY.safetensors, as for `ad3d eval -m`) and writes one HTML page that \
            needs no network: ROC and precision-recall curves of objects and points per category, \
            a table per defect type (read from the scan names, 10_cut -> cut), the verdicts at the \
            object threshold, the model's metadata, and heat-map renders from three viewpoints of \
            every defective scan and the three highest-scoring good ones, defect regions outlined.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file (or folder of per-category models).", valueName: "model"))
    var model: String

    @Argument(help: ArgumentHelp("A category folder, or a dataset root with one sub-folder per category.", valueName: "dataset"))
    var dataset: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String

    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var logging: LoggingOptions

    func execute() throws {
        let root = URL(fileURLWithPath: dataset)
        let layout = try DatasetLayout(discoveringAt: root)
        let categories = try layout.categories.map { try reportCategory($0, in: layout) }
        let page = ReportPage(
            title: root.standardizedFileURL.lastPathComponent, generator: "ad3d \(AD3D.configuration.version)",
            categories: categories)
        let progress = ProgressBar("rendering scans", total: page.renderedScanCount, enabled: logging.showsProgress)
        let html = try page.html(workers: runtime.scanWorkers(for: page.renderedScanCount)) { progress.advance() }
        progress.finish()
        let url = URL(fileURLWithPath: output)
        try AtomicFileWriter.write(Data(html.utf8), to: url)
        print(url.path)
    }

    /// Scores the category's test scans with its model and gathers what the page shows.
    private func reportCategory(_ category: DatasetCategory, in layout: DatasetLayout) throws -> ReportCategory {
        let modelURL = try DetectorRegistry.modelURL(
            given: URL(fileURLWithPath: model), category: category.name, perCategoryFolder: !layout.isSingleCategory)
        let trained = try DetectorRegistry.loadModel(modelURL)
        let progress = ProgressBar("\(category.name) scoring scans", total: category.testSamples.count, enabled: logging.showsProgress)
        var scored = [ScoredTestScan]()
        try DetectorEvaluation.scoreEach(
            category, detector: trained.detector, meshSampleCount: scanOptions.meshPoints, seed: runtime.seed,
            workers: runtime.scanWorkers(for: category.testSamples.count)
        ) { scan in
            scored.append(scan)
            progress.advance()
        }
        progress.finish()
        let judging = try trained.calibration.map(ReportJudging.calibrated) ?? ReportJudging.fromTestSet(scored)
        return ReportCategory(
            name: category.name,
            model: ModelSummary(
                path: modelURL.path, method: type(of: trained.detector).methodName, version: AD3D.configuration.version,
                trainingScans: trained.calibration?.trainingScans ?? category.trainScans.count),
            thresholds: judging.thresholds, scans: scored.map(judging.reportScan), colorScale: judging.colorScale)
    }
}
