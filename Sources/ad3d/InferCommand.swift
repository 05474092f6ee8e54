import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d infer`: scores scans with a trained model.
struct InferCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Score scans point by point with a trained model.",
        discussion: """
            Prints one line per scan: the verdict (ok or DEFECTIVE), the object score relative to \
            the model's threshold (0 = a typical good scan, 1.0 = the threshold) and the file; under \
            it, where the defects are: the points at or above the model's point threshold, split \
            into connected regions (linked by steps of up to 5 point spacings), each with its size \
            in points, centroid, bounding box and peak score, in the scan's coordinates, highest \
            peak first. Both thresholds are stored in the model by `ad3d train`, which calibrates \
            them on held-out training scans for its --false-alarm-rate, apart for complete scans \
            and single views. A scan unlike the training scans (other units, another part) gets a \
            warning on stderr. Models trained on one scan have no thresholds: their lines show the \
            raw object score.

            With -o, writes the per-point scores of each scan into the folder (`<stem>.txt` one \
            score per line in the scan's point order — the convention `ad3d eval --scores` reads — \
            or .npy / .ply with --format), `objects.csv` and `regions.csv`. A PLY output carries \
            the score as a `scalar` and a `quality` property and as heat colours on the model's \
            scale (blue = a typical good point, yellow = the point threshold, red = twice as far \
            beyond), the same for every scan of a model, viewable in CloudCompare or MeshLab. A \
            folder argument means every scan in it. --fail-on-defect makes the exit status 1 when \
            any scan is defective, for scripts on a production line.
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file written by `ad3d train`.", valueName: "model"))
    var model: String

    @Argument(help: "Scan files or folders of scans (PCD, PLY, XYZ/TXT/CSV, NPY, OFF, OBJ, STL).")
    var scans: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the score files (default: print only).", valueName: "dir"))
    var output: String?

    @Option(help: "Encoding of the per-point score files written with -o: txt, npy or ply (default: txt).")
    var format: ScoreOutputFormat?

    @Flag(help: "Exit with status 1 when any scan is judged defective.")
    var failOnDefect = false

    @Option(help: ArgumentHelp(
        "Point score from which a point counts as defective (default: the model's calibrated point threshold).",
        valueName: "score"))
    var threshold: Float?

    @Option(help: ArgumentHelp(
        "Object score from which a scan is judged defective (default: the model's calibrated threshold).",
        valueName: "score"))
    var objectThreshold: Float?

    @Option(help: "Smallest region listed, in points (smaller groups of high scores are taken for noise).")
    var minRegionPoints = 10

    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let threshold, !threshold.isFinite { throw ValidationError("--threshold must be a finite number, not \(threshold)") }
        if let objectThreshold, !objectThreshold.isFinite {
            throw ValidationError("--object-threshold must be a finite number, not \(objectThreshold)")
        }
        if let format, output == nil {
            throw ValidationError("--format \(format.rawValue) needs -o DIR: the score files are written only into a folder.")
        }
        guard minRegionPoints >= 1 else { throw ValidationError("--min-region-points must be at least 1, not \(minRegionPoints)") }
    }

    func execute() throws {
        let model = try DetectorRegistry.loadModel(URL(fileURLWithPath: self.model))
        let detector = model.detector, calibration = model.calibration
        if calibration == nil && objectThreshold == nil {
            logging.logger.warning(
                "\(self.model): the model has no calibrated thresholds (trained on one scan, or by an older ad3d); scores are printed raw, without a verdict unless --object-threshold is given")
        }
        let files = try ScanList.expand(scans)
        let directory = output.map { ScoreDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) }
        let logger = logging.logger
        let progress = ProgressBar("scoring scans", total: files.count, enabled: logging.showsProgress)
        var objectScores = [ObjectScore]()
        var regions = [(scan: String, regions: [DefectRegion])]()
        var defective = 0
        let workers = runtime.scanWorkers(for: files.count)
        let meshPoints = scanOptions.meshPoints, seed = runtime.seed, format = format ?? .txt
        let threshold = threshold, objectThreshold = objectThreshold, minimumPoints = minRegionPoints
        try ParallelMap.inBatches(count: files.count, workers: workers) { index in
            let url = files[index]
            let start = ContinuousClock.now
            let cloud = try PointCloudReader.read(url, meshSampleCount: meshPoints, seed: seed).cloud
            let scores = try detector.score(cloud, readFrom: url)
            let verdict = calibration.map {
                ScanVerdict(scores: scores, cloud: cloud, calibration: $0, objectThreshold: objectThreshold, pointThreshold: threshold)
            }
            if let directory {
                try ScoreOutput.writePointScores(
                    scores, cloud: cloud, stem: ScanList.stem(url), to: directory, format: format, heatScale: verdict?.heatScale)
            }
            let regionThreshold = verdict?.pointThreshold ?? threshold
            let found = try regionThreshold.map {
                try DefectRegion.find(in: cloud, scores: scores.pointScores, threshold: $0, minimumPoints: minimumPoints)
            }
            return ScanResult(
                url: url, scores: scores, verdict: verdict, objectThreshold: objectThreshold, regions: found,
                regionThreshold: regionThreshold, points: cloud.count,
                seconds: (ContinuousClock.now - start).seconds)
        } collect: { results, _ in
            progress.advance(by: results.count)
            for result in results {
                objectScores.append(ObjectScore(scan: ScanList.stem(result.url), score: Double(result.scores.objectScore)))
                if let found = result.regions { regions.append((ScanList.stem(result.url), found)) }
                if result.isDefective { defective += 1 }
                for warning in result.verdict?.warnings ?? [] { logger.warning("\(result.url.path): \(warning)") }
                logger.debug("\(result.url.path): \(result.points) points scored in \(String(format: "%.3f", result.seconds)) s")
                progress.printAbove(outputOptions.json ? try TextFormatting.json(result.summary) : result.lines)
            }
        }
        progress.finish()
        if let directory {
            try ScoreFiles.writeObjectScores(objectScores, to: directory.objectScoresURL)
            if !regions.isEmpty || threshold != nil || calibration != nil {
                try AtomicFileWriter.write(Data(try DefectRegionReport.csv(regions).utf8), to: directory.regionsURL)
            }
        }
        if failOnDefect && defective > 0 { throw ExitCode(1) }
    }
}

/// One scored scan.
private struct ScanResult: Sendable {
    let url: URL
    let scores: AnomalyScores
    /// The verdict under the model's calibration (nil for a model without one).
    let verdict: ScanVerdict?
    /// The object threshold given on the command line, which judges scans of a model without calibration.
    let objectThreshold: Float?
    /// The defect regions, when a point threshold is known.
    let regions: [DefectRegion]?
    /// The point threshold the regions were found at.
    let regionThreshold: Float?
    let points: Int
    let seconds: Double

    /// The decision: the verdict's, or, for a model without calibration, the object threshold
    /// given's (nil without either).
    var decision: ScanVerdict.Decision? {
        verdict?.decision ?? objectThreshold.map { scores.objectScore >= $0 ? .defective : .ok }
    }

    /// Whether the scan is judged defective.
    var isDefective: Bool { decision == .defective }

    /// The scan's line (the decision, the relative score — the raw object score without a
    /// calibration — and the path), then its regions' lines.
    var lines: String {
        let judged = decision.map { ($0 == .defective ? "DEFECTIVE" : "ok").padding(toLength: 9, withPad: " ", startingAt: 0) + "  " }
        let score = verdict.map { String(format: "%8.2f", $0.relativeScore) } ?? String(format: "%10.4f", scores.objectScore)
        let line = (judged ?? "") + score + "  " + url.path
        // A good scan without regions needs no line saying so.
        guard let regions, let threshold = regionThreshold, !regions.isEmpty || isDefective else { return line }
        return ([line] + DefectRegionReport.lines(regions, threshold: threshold)).joined(separator: "\n")
    }

    var summary: Summary {
        Summary(
            scan: ScanList.stem(url), path: url.path, verdict: decision?.rawValue, relativeScore: verdict?.relativeScore,
            objectScore: scores.objectScore, scoredAsView: scores.scoredAsView, points: points, seconds: seconds,
            regions: regions?.map(DefectRegionReport.Entry.init), warnings: verdict?.warnings ?? [])
    }

    /// The `--json` line of a scan.
    struct Summary: Encodable {
        let scan: String
        let path: String
        /// "ok" or "defective"; null without thresholds.
        let verdict: String?
        let relativeScore: Float?
        let objectScore: Float
        let scoredAsView: Bool
        let points: Int
        let seconds: Double
        let regions: [DefectRegionReport.Entry]?
        let warnings: [String]

        enum CodingKeys: String, CodingKey {
            case scan, path, verdict, points, seconds, regions, warnings
            case relativeScore = "relative_score", objectScore = "object_score", scoredAsView = "scored_as_view"
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension ScoreOutputFormat: ExpressibleByArgument {}
