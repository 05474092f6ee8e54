import AD3DTensor

/// The `k` nearest bank rows of each query, nearest first.
public struct BankNeighbors: Sendable, Equatable {
    /// Neighbours per query.
    public var k: Int
    /// Euclidean distances, `[Q, k]` flat, ascending per query.
    public var distances: [Float]
    /// Bank row indices matching `distances`.
    public var indices: [Int32]

    /// Number of queries.
    public var queryCount: Int { k == 0 ? 0 : distances.count / k }
}

/// Exact nearest-neighbour search of feature vectors against a memory bank (`[B, C]`).
///
/// Squared distances are computed block by block as `‖q‖² − 2 q·b + ‖b‖²` with one `sgemm` per
/// (query block × bank block) pair, so memory stays O(block) for any bank size; the k best
/// candidates per query are kept (ties: lower bank index), then their distances are recomputed
/// directly as `‖q − b‖` so the reported values carry no cancellation error. Query blocks run in
/// parallel with fixed boundaries, so results do not depend on the number of cores.
public struct NearestNeighborBank: Sendable {
    /// Queries per block.
    public static let queryBlockSize = 1024
    /// Bank rows per block.
    public static let bankBlockSize = 4096

    /// The bank, `[B, C]`.
    public let features: Tensor
    /// `‖b‖²` of each bank row.
    let squaredNorms: [Float]

    /// A bank over the rows of `features` (`[B, C]`).
    public init(features: Tensor) {
        precondition(features.rank == 2 && features.shape[1] >= 1, "a memory bank is a [B, C ≥ 1] matrix, got \(features.shape)")
        self.features = features
        squaredNorms = Self.rowSquaredNorms(features.storage, columns: features.shape[1])
    }

    /// Number of bank rows B.
    public var count: Int { features.shape[0] }
    /// Channels C.
    public var dimension: Int { features.shape[1] }

    /// The `min(k, B)` nearest bank rows of every row of `queries` (`[Q, C]`).
    public func nearest(to queries: Tensor, k: Int) throws -> BankNeighbors {
        guard queries.rank == 2, queries.shape[1] == dimension else {
            throw BaselineError.featureDimensionMismatch(expected: dimension, columns: queries.shape.last ?? 0)
        }
        guard k >= 1 else {
            throw BaselineError.invalidParameter(name: "neighbours", value: "\(k)", requirement: ">= 1")
        }
        let q = queries.shape[0], kept = min(k, count)
        var distances = [Float](repeating: .infinity, count: q * kept)
        var indices = [Int32](repeating: -1, count: q * kept)
        guard q > 0, kept > 0 else { return BankNeighbors(k: kept, distances: [], indices: []) }
        let queryNorms = Self.rowSquaredNorms(queries.storage, columns: dimension)
        let blocks = (q + Self.queryBlockSize - 1) / Self.queryBlockSize
        let chunks = ParallelMap.chunkCount(for: blocks, minimumChunk: 1)
        queries.storage.withUnsafeBufferPointer { queryRows in
            features.storage.withUnsafeBufferPointer { bankRows in
                distances.withUnsafeMutableBufferPointer { distances in
                    indices.withUnsafeMutableBufferPointer { indices in
                        ParallelMap.perform(chunks: chunks) { chunk in
                            var scratch = [Float](
                                repeating: 0, count: min(q, Self.queryBlockSize) * min(count, Self.bankBlockSize))
                            for block in ParallelMap.range(chunk, of: chunks, count: blocks) {
                                let start = block * Self.queryBlockSize
                                let rows = start..<min(q, start + Self.queryBlockSize)
                                search(
                                    rows, queryRows: queryRows, queryNorms: queryNorms, bankRows: bankRows, k: kept,
                                    scratch: &scratch, distances: distances, indices: indices)
                            }
                        }
                    }
                }
            }
        }
        return BankNeighbors(k: kept, distances: distances, indices: indices)
    }

    /// Finds the `k` nearest bank rows of query rows `rows` and writes them, exact distances, into
    /// `distances`/`indices` (`[Q, k]`, pre-filled with +∞ / −1).
    private func search(
        _ rows: Range<Int>, queryRows: UnsafeBufferPointer<Float>, queryNorms: [Float],
        bankRows: UnsafeBufferPointer<Float>, k: Int, scratch: inout [Float],
        distances: UnsafeMutableBufferPointer<Float>, indices: UnsafeMutableBufferPointer<Int32>
    ) {
        let c = dimension, m = rows.count
        scratch.withUnsafeMutableBufferPointer { products in
            for bankStart in stride(from: 0, to: count, by: Self.bankBlockSize) {
                let n = min(Self.bankBlockSize, count - bankStart)
                // products[i, j] = q_i · b_j for this block pair.
                BLAS.sgemm(
                    queryRows.baseAddress! + rows.lowerBound * c, lda: c, bankRows.baseAddress! + bankStart * c, ldb: c,
                    into: products.baseAddress!, ldc: n, m: m, n: n, k: c, transposeB: true)
                squaredNorms.withUnsafeBufferPointer { bankNorms in
                    for (i, row) in rows.enumerated() {
                        let best = distances.baseAddress! + row * k, bestIndex = indices.baseAddress! + row * k
                        let queryNorm = queryNorms[row]
                        // A vectorisable pass over the same expressions first: most rows of most
                        // blocks hold no candidate.
                        var blockMinimum = Float.infinity
                        for j in 0..<n { blockMinimum = min(blockMinimum, bankNorms[bankStart + j] - 2 * products[i * n + j]) }
                        guard max(0, queryNorm + blockMinimum) < best[k - 1] else { continue }
                        for j in 0..<n {
                            let squared = max(0, queryNorm + (bankNorms[bankStart + j] - 2 * products[i * n + j]))
                            guard squared < best[k - 1] else { continue }
                            Self.insert(squared, Int32(bankStart + j), into: best, bestIndex, k: k)
                        }
                    }
                }
            }
        }
        for row in rows {
            let best = distances.baseAddress! + row * k, bestIndex = indices.baseAddress! + row * k
            for slot in 0..<k {
                best[slot] = Self.distance(queryRows, row, bankRows, Int(bestIndex[slot]), columns: c)
            }
            // Re-sort by the exact distances (insertion sort on ≤ k entries, ties by index).
            for slot in 1..<max(1, k) {
                var s = slot
                while s > 0, best[s - 1] > best[s] || (best[s - 1] == best[s] && bestIndex[s - 1] > bestIndex[s]) {
                    (best[s - 1], best[s]) = (best[s], best[s - 1])
                    (bestIndex[s - 1], bestIndex[s]) = (bestIndex[s], bestIndex[s - 1])
                    s -= 1
                }
            }
        }
    }

    /// Inserts a candidate into the sorted list of `k`, dropping the last; equal distances keep the
    /// earlier (lower-index) candidates first.
    private static func insert(
        _ squared: Float, _ index: Int32, into best: UnsafeMutablePointer<Float>,
        _ bestIndex: UnsafeMutablePointer<Int32>, k: Int
    ) {
        var slot = k - 1
        while slot > 0, best[slot - 1] > squared {
            best[slot] = best[slot - 1]
            bestIndex[slot] = bestIndex[slot - 1]
            slot -= 1
        }
        best[slot] = squared
        bestIndex[slot] = index
    }

    /// `‖a_i − b_j‖` of rows of two flat `[·, columns]` matrices, accumulated in `Double`.
    package static func distance(
        _ a: UnsafeBufferPointer<Float>, _ i: Int, _ b: UnsafeBufferPointer<Float>, _ j: Int, columns: Int
    ) -> Float {
        var sum = 0.0
        for c in 0..<columns {
            let d = Double(a[i * columns + c]) - Double(b[j * columns + c])
            sum += d * d
        }
        return Float(sum.squareRoot())
    }

    /// `‖row‖²` of each row of a flat `[·, columns]` matrix.
    static func rowSquaredNorms(_ storage: [Float], columns: Int) -> [Float] {
        (0..<(storage.count / columns)).map { row in
            var sum: Float = 0
            for c in 0..<columns { sum += storage[row * columns + c] * storage[row * columns + c] }
            return sum
        }
    }
}
