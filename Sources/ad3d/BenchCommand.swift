import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d bench`: speed of the building blocks on this machine, with the BLAS actually loaded.
struct BenchCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure sgemm, farthest point sampling, KNN and normals on this machine.",
        discussion: """
            Runs each kernel on seeded synthetic data and reports the best of --repetitions runs: \
            sgemm on square float32 matrices (GFLOP/s = 2·n³ / time) through the BLAS library that \
            is actually loaded, then FPS to --groups centres, a k-d tree build, a KNN query of \
            --groups centres × --k neighbours and PCA normals (k = 30) on synthetic scans of each \
            --scan-sizes size. Ends with the peak resident memory. Build in release first \
            (swift build -c release): debug timings mean nothing.

            With --model and --scan, also times scoring that scan as `ad3d infer -o` runs it: the \
            first scan end to end (load model, read, score, write), then stage by stage with the \
            model loaded, as for the later scans of a folder (read, normalise, register (models \
            that register scans), patch (subsample, FPS, KNN), encoder, head, interpolate, surface \
            (models with surface deviation; a single view's stages indented under it), write).
            """
    )

    @Option(parsing: .upToNextOption, help: "sgemm matrix sizes n (n×n×n).")
    var gemmSizes: [Int] = [256, 1024, 2048]

    @Option(parsing: .upToNextOption, help: "Scan sizes for FPS, KNN and normals.")
    var scanSizes: [Int] = [100_000, 1_000_000]

    @Option(help: "FPS centres, and KNN queries.")
    var groups: Int = 1024

    @Option(help: "Neighbours per KNN query.")
    var k: Int = 32

    @Option(help: "Runs per measurement; the best is reported.")
    var repetitions: Int = 3

    @Option(help: "BLAS threads (default: the BLAS library's own setting).")
    var blasThreads: Int?

    @Option(help: ArgumentHelp("A model to time on --scan.", valueName: "model"))
    var model: String?

    @Option(help: ArgumentHelp("A scan to score with --model.", valueName: "scan"))
    var scan: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard gemmSizes.allSatisfy({ $0 > 0 }), scanSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("Sizes must be positive.")
        }
        guard groups > 0, k > 0, repetitions > 0 else {
            throw ValidationError("--groups, --k and --repetitions must be positive.")
        }
        guard scanSizes.allSatisfy({ $0 >= max(groups, k) }) else {
            throw ValidationError("Every --scan-sizes size must be at least --groups and --k.")
        }
        if let blasThreads, blasThreads < 1 { throw ValidationError("--blas-threads must be at least 1.") }
        guard (model == nil) == (scan == nil) else { throw ValidationError("--model and --scan go together.") }
    }

    func execute() throws {
        if let blasThreads, !BLASRuntime.setThreadCount(blasThreads) {
            throw ValidationError("The loaded BLAS (\(BLASRuntime.name)) cannot set its thread count.")
        }
        let progress = ProgressBar("bench measurements", total: gemmSizes.count + 4 * scanSizes.count, enabled: logging.showsProgress)
        var rows = [BenchmarkRow]()
        for n in gemmSizes {
            rows.append(gemm(size: n))
            progress.advance()
        }
        for timing in try SamplingBenchmark.run(pointCounts: scanSizes, groups: groups, k: k, repetitions: repetitions) {
            rows.append(BenchmarkRow(name: timing.name, milliseconds: timing.seconds * 1000, gflops: nil))
            progress.advance()
        }
        progress.finish()
        if let model, let scan {
            rows += try pipeline(model: URL(fileURLWithPath: model), scan: URL(fileURLWithPath: scan))
        }
        let report = BenchmarkReport(
            blas: BLASRuntime.name, blasLibrary: BLASRuntime.loadedLibraryPath ?? "unknown",
            blasThreads: BLASRuntime.threadCount, cores: ProcessInfo.processInfo.activeProcessorCount,
            results: rows, peakMemoryMiB: ProcessMemory.peakResidentBytes.map { Double($0) / 1_048_576 })
        print(output.json ? try TextFormatting.json(report, pretty: true) : report.table())
    }

    /// Times of scoring `scan` with `model`: the first scan end to end (loading the model, reading,
    /// scoring, writing), then each stage of scoring it again with the model loaded, as `ad3d infer`
    /// scores the second and later scans of a folder (structures a model builds on first use, such
    /// as the single-view sensor search, are built by then). The fastest of the repetitions; a
    /// stage inside another is indented under it.
    private func pipeline(model: URL, scan: URL) throws -> [BenchmarkRow] {
        var best: (first: StageTimings, loaded: StageTimings)?
        for _ in 0..<repetitions {
            let first = StageTimings(), loaded = StageTimings()
            let detector = try first.measure("load model") { try DetectorRegistry.load(model) }
            let cloud = try first.measure("read scan") { try PointCloudReader.read(scan).cloud }
            let scores = try first.measure("score") { try detector.score(cloud) }
            try first.measure("write scores") { try Self.write(scores, cloud: cloud) }
            let again = try loaded.measure("read scan") { try PointCloudReader.read(scan).cloud }
            let rescored = try (detector as? SCADetector).map { try $0.score(again, timings: loaded) }
                ?? loaded.measure("score") { try detector.score(again) }
            try loaded.measure("write scores") { try Self.write(rescored, cloud: again) }
            if best == nil || first.totalSeconds + loaded.totalSeconds < best!.first.totalSeconds + best!.loaded.totalSeconds {
                best = (first, loaded)
            }
        }
        guard let best else { return [] }
        let label = scan.lastPathComponent
        func row(_ name: String, _ seconds: Double) -> BenchmarkRow {
            BenchmarkRow(name: "\(label): \(name)", milliseconds: seconds * 1000, gflops: nil)
        }
        return best.first.stages.map { row("first scan: \($0.name)", $0.seconds) }
            + [row("first scan: end to end", best.first.totalSeconds)]
            + best.loaded.stages.map { row(String(repeating: "  ", count: $0.depth) + $0.name, $0.seconds) }
            + [row("per scan with the model loaded", best.loaded.totalSeconds)]
    }

    /// Writes `scores` of `cloud` as `ad3d infer -o` does, into a temporary folder removed afterwards.
    private static func write(_ scores: AnomalyScores, cloud: PointCloud) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ScoreOutput.writePointScores(scores, cloud: cloud, stem: "scan", to: ScoreDirectory(url: folder), format: .txt)
    }

    /// Times `C = A·B` for random n×n matrices.
    private func gemm(size n: Int) -> BenchmarkRow {
        var generator = SeededGenerator(seed: UInt64(n))
        let a = Tensor(shape: [n, n], storage: (0..<n * n).map { _ in generator.nextGaussian() })
        let b = Tensor(shape: [n, n], storage: (0..<n * n).map { _ in generator.nextGaussian() })
        var c = Tensor(shape: [n, n])
        Tensor.gemm(a, b, into: &c)  // warm-up: first call spins up the BLAS threads
        let seconds = Stopwatch.bestOf(repetitions) { Tensor.gemm(a, b, into: &c) }
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return BenchmarkRow(name: "sgemm \(n)×\(n)×\(n)", milliseconds: seconds * 1000, gflops: flops / seconds / 1e9)
    }
}

/// One measured kernel.
private struct BenchmarkRow: Encodable {
    let name: String
    let milliseconds: Double
    let gflops: Double?
}

/// Everything `bench` prints.
private struct BenchmarkReport: Encodable {
    let blas: String
    let blasLibrary: String
    let blasThreads: Int?
    let cores: Int
    let results: [BenchmarkRow]
    let peakMemoryMiB: Double?

    enum CodingKeys: String, CodingKey {
        case blas, cores, results
        case blasLibrary = "blas_library", blasThreads = "blas_threads", peakMemoryMiB = "peak_memory_mib"
    }

    func table() -> String {
        var rows = [["kernel", "time (ms)", "GFLOP/s"]]
        for row in results {
            rows.append([row.name, String(format: "%.2f", row.milliseconds), row.gflops.map { String(format: "%.1f", $0) } ?? ""])
        }
        var lines = [
            "BLAS     \(blas), \(blasThreads.map { "\($0) threads" } ?? "threads unknown"), \(cores) cores",
            "library  \(blasLibrary)",
            "",
            TextFormatting.table(rows),
        ]
        lines.append("")
        lines.append("peak memory  " + (peakMemoryMiB.map { String(format: "%.0f MiB", $0) } ?? "unknown"))
        return lines.joined(separator: "\n")
    }
}
