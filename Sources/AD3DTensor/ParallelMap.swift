import Dispatch

/// Runs independent jobs on several cores and returns their results in job order.
public enum ParallelMap {
    /// `body(i)` for `i` in `0..<count`, on up to `workers` threads; results keep index order and
    /// the first error (by index) is rethrown after all jobs finish. While several threads run, the
    /// BLAS is limited to one thread of its own (the cores are already busy).
    public static func map<Result: Sendable>(
        count: Int, workers: Int, _ body: @Sendable (Int) throws -> Result
    ) throws -> [Result] {
        let slots = ResultSlots<Result>(count: count)
        let threads = max(1, min(workers, count))
        func run() {
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for index in stride(from: worker, to: count, by: threads) {
                    slots.store(Swift.Result { try body(index) }, at: index)
                }
            }
        }
        if threads > 1 { BLASRuntime.singleThreaded(run) } else { run() }
        return try slots.values()
    }

    /// Runs `body(i)` for `i` in `0..<count` in batches of `workers` parallel jobs, handing each
    /// batch's results (in index order, with the batch's index range) to `collect` before the
    /// next batch starts — for work whose results must be consumed in order as they come.
    public static func inBatches<Result: Sendable>(
        count: Int, workers: Int, _ body: @Sendable (Int) throws -> Result,
        collect: ([Result], Range<Int>) throws -> Void
    ) throws {
        let size = max(1, workers)
        for start in stride(from: 0, to: count, by: size) {
            let range = start..<min(start + size, count)
            let results = try map(count: range.count, workers: size) { offset in try body(range.lowerBound + offset) }
            try collect(results, range)
        }
    }
}

/// Write-once result storage shared by the workers of `ParallelMap` (each slot has one writer).
/// A raw buffer rather than an array property: concurrent writes to distinct slots of one array
/// property would trip Swift's dynamic exclusivity checks.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<Value, Error>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ result: Result<Value, Error>, at index: Int) { slots[index] = result }

    func values() throws -> [Value] { try slots.map { try $0!.get() } }
}
