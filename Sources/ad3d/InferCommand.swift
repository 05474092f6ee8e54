import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d infer`: scores scans with a trained model.
struct InferCommand: ParsableCommand {
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
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Model file written by `ad3d train`.", valueName: "model"))
    var model: String

    @Argument(help: "Scan files or folders of scans (PCD, PLY, XYZ/TXT/CSV, NPY, OFF, OBJ, STL).")
    var scans: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the score files (default: print only).", valueName: "dir"))
    var output: String?

    @Option(help: "Encoding of the per-point score files: txt, npy or ply.")
    var format: ScoreOutputFormat = .txt

    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let detector = try DetectorRegistry.load(URL(fileURLWithPath: model))
        let files = try ScanList.expand(scans)
        let directory = output.map { ScoreDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) }
        let progress = ProgressBar("scoring", total: files.count)
        var objectScores = [ObjectScore]()
        let workers = runtime.scanWorkers(for: files.count)
        let meshPoints = scanOptions.meshPoints, seed = runtime.seed, format = format
        try ParallelMap.inBatches(count: files.count, workers: workers) { index in
            let url = files[index]
            let start = ContinuousClock.now
            let cloud = try PointCloudReader.read(url, meshSampleCount: meshPoints, seed: seed).cloud
            let scores = try detector.score(cloud)
            if let directory {
                try ScoreOutput.writePointScores(scores, cloud: cloud, stem: ScanList.stem(url), to: directory, format: format)
            }
            return ScanResult(url: url, scores: scores, points: cloud.count, seconds: (ContinuousClock.now - start).seconds)
        } collect: { results, _ in
            progress.advance(by: results.count)
            for result in results {
                objectScores.append(ObjectScore(scan: ScanList.stem(result.url), score: Double(result.scores.objectScore)))
                print(outputOptions.json ? try TextFormatting.json(result.summary) : result.line)
            }
        }
        progress.finish()
        if let directory {
            try ScoreFiles.writeObjectScores(objectScores, to: directory.objectScoresURL)
        }
    }
}

/// One scored scan.
private struct ScanResult: Sendable {
    let url: URL
    let scores: AnomalyScores
    let points: Int
    let seconds: Double

    var line: String { String(format: "%10.4f  ", scores.objectScore) + url.path }

    var summary: Summary {
        Summary(scan: ScanList.stem(url), path: url.path, objectScore: scores.objectScore, points: points, seconds: seconds)
    }

    /// The `--json` line of a scan.
    struct Summary: Encodable {
        let scan: String
        let path: String
        let objectScore: Float
        let points: Int
        let seconds: Double

        enum CodingKeys: String, CodingKey {
            case scan, path, points, seconds
            case objectScore = "object_score"
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension ScoreOutputFormat: ExpressibleByArgument {}
