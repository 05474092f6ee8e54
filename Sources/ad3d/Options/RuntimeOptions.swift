import AD3DKit
import ArgumentParser
import Foundation

/// Seed and parallelism shared by the commands that compute.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Seed of every random choice (sampling, initialisation, augmentation); same seed, same result.")
    var seed: UInt64 = 0

    @Option(help: "Scans processed at once (default: one per core).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    /// How many scans to process concurrently for `count` scans.
    func scanWorkers(for count: Int) -> Int {
        max(1, min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, count))
    }
}
