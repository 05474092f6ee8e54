import Dispatch
import Foundation

/// The second way to run work on all cores: index ranges split into a few large contiguous chunks.
///
/// Chunks are contiguous and returned in order, so callers that reduce chunk results in order
/// get exactly the serial answer.
extension ParallelMap {
    /// Number of chunks to use for `count` items when no chunk should be smaller than `minimumChunk`.
    package static func chunkCount(for count: Int, minimumChunk: Int) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return max(1, min(cores, count / max(1, minimumChunk)))
    }

    /// The `index`-th of `chunks` near-equal contiguous ranges of `0..<count`, each a multiple of `alignment` long
    /// except possibly the last.
    package static func range(_ index: Int, of chunks: Int, count: Int, alignment: Int = 1) -> Range<Int> {
        let units = (count + alignment - 1) / alignment
        let lower = min(count, units * index / chunks * alignment)
        let upper = min(count, units * (index + 1) / chunks * alignment)
        return lower..<upper
    }

    /// Runs `body` for every chunk index in `0..<chunks`, concurrently when there is more than one.
    /// `body` must only read shared state and write to memory owned by its chunk.
    package static func perform(chunks: Int, _ body: (Int) -> Void) {
        if chunks <= 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let task = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { task.value($0) }
        }
    }

    /// `body` applied to each chunk of `0..<count`, results in chunk order.
    package static func map<T>(count: Int, minimumChunk: Int, _ body: (Range<Int>) -> T) -> [T] {
        let chunks = chunkCount(for: count, minimumChunk: minimumChunk)
        var results = [T?](repeating: nil, count: chunks)
        results.withUnsafeMutableBufferPointer { out in
            perform(chunks: chunks) { c in out[c] = body(range(c, of: chunks, count: count)) }
        }
        return results.map { $0! }
    }
}

/// Carries a value into `concurrentPerform`'s `@Sendable` closure; `ParallelMap.perform`
/// documents the disjoint-writes contract that makes this safe.
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
