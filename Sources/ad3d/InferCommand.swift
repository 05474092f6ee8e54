import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d infer`: scores scans with a trained model.
struct InferCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Score scans point by point with a trained model.",
        discussion: """
            Each scan is scored in one forward pass. Prints one line per scan: its object score \
            (higher = more anomalous) and the file. With -o, writes the per-point scores of each \
            scan into the folder (`<stem>.txt` one score per line in the scan's point order — the \
            convention `ad3d eval --scores` reads — or .npy / .ply with --format) and \
            `objects.csv` (header `scan,score`). A PLY output carries the score as a `scalar` \
            property and as heat colours (blue = normal, red = anomalous), viewable in \
            CloudCompare or MeshLab. A folder argument means every scan in it.

            With --threshold T, also says where the defects are: the points scoring T or more, \
            split into connected regions (linked by steps of up to 5 point spacings), each listed \
            under its scan with its size in points, centroid, bounding box and peak score, in the \
            scan's coordinates, highest peak first (and in `regions.csv` with -o). `ad3d eval` \
            prints a starting value for T: the point score of best F1 on a labelled test set \
            ("at score"). Scores of different models are not on one scale; pick T per model.
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

    @Option(help: ArgumentHelp(
        "Point score from which a point counts as defective; lists each scan's defect regions (default: none listed).",
        valueName: "score"))
    var threshold: Float?

    @Option(help: "Smallest region listed, in points (smaller groups of high scores are taken for noise).")
    var minRegionPoints = 10

    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let threshold, !threshold.isFinite { throw ValidationError("--threshold must be a finite number, not \(threshold)") }
        if let format, output == nil {
            throw ValidationError("--format \(format.rawValue) needs -o DIR: the score files are written only into a folder.")
        }
        guard minRegionPoints >= 1 else { throw ValidationError("--min-region-points must be at least 1, not \(minRegionPoints)") }
    }

    func execute() throws {
        let detector = try DetectorRegistry.load(URL(fileURLWithPath: model))
        let files = try ScanList.expand(scans)
        let directory = output.map { ScoreDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) }
        let logger = logging.logger
        let progress = ProgressBar("scoring scans", total: files.count, enabled: logging.showsProgress)
        var objectScores = [ObjectScore]()
        var regions = [(scan: String, regions: [DefectRegion])]()
        let workers = runtime.scanWorkers(for: files.count)
        let meshPoints = scanOptions.meshPoints, seed = runtime.seed, format = format ?? .txt
        let threshold = threshold, minimumPoints = minRegionPoints
        try ParallelMap.inBatches(count: files.count, workers: workers) { index in
            let url = files[index]
            let start = ContinuousClock.now
            let cloud = try PointCloudReader.read(url, meshSampleCount: meshPoints, seed: seed).cloud
            let scores = try detector.score(cloud, readFrom: url)
            if let directory {
                try ScoreOutput.writePointScores(scores, cloud: cloud, stem: ScanList.stem(url), to: directory, format: format)
            }
            let found = try threshold.map {
                try DefectRegion.find(in: cloud, scores: scores.pointScores, threshold: $0, minimumPoints: minimumPoints)
            }
            return ScanResult(
                url: url, scores: scores, regions: found, points: cloud.count, seconds: (ContinuousClock.now - start).seconds)
        } collect: { results, _ in
            progress.advance(by: results.count)
            for result in results {
                objectScores.append(ObjectScore(scan: ScanList.stem(result.url), score: Double(result.scores.objectScore)))
                if let found = result.regions { regions.append((ScanList.stem(result.url), found)) }
                logger.debug("\(result.url.path): \(result.points) points scored in \(String(format: "%.3f", result.seconds)) s")
                progress.printAbove(outputOptions.json ? try TextFormatting.json(result.summary) : result.lines(threshold: threshold))
            }
        }
        progress.finish()
        if let directory {
            try ScoreFiles.writeObjectScores(objectScores, to: directory.objectScoresURL)
            if threshold != nil {
                try AtomicFileWriter.write(Data(try DefectRegionReport.csv(regions).utf8), to: directory.regionsURL)
            }
        }
    }
}

/// One scored scan.
private struct ScanResult: Sendable {
    let url: URL
    let scores: AnomalyScores
    /// The defect regions, when a threshold was given.
    let regions: [DefectRegion]?
    let points: Int
    let seconds: Double

    /// The scan's line (object score and path), then its regions' lines when a threshold was given.
    func lines(threshold: Float?) -> String {
        let line = String(format: "%10.4f  ", scores.objectScore) + url.path
        guard let regions, let threshold else { return line }
        return ([line] + DefectRegionReport.lines(regions, threshold: threshold)).joined(separator: "\n")
    }

    var summary: Summary {
        Summary(
            scan: ScanList.stem(url), path: url.path, objectScore: scores.objectScore, points: points, seconds: seconds,
            regions: regions?.map(DefectRegionReport.Entry.init))
    }

    /// The `--json` line of a scan.
    struct Summary: Encodable {
        let scan: String
        let path: String
        let objectScore: Float
        let points: Int
        let seconds: Double
        let regions: [DefectRegionReport.Entry]?

        enum CodingKeys: String, CodingKey {
            case scan, path, points, seconds, regions
            case objectScore = "object_score"
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension ScoreOutputFormat: ExpressibleByArgument {}
