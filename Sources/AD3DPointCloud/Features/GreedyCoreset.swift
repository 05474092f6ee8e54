import AD3DSupport
import AD3DTensor

/// PatchCore's memory-bank subsampling (Roth et al., CVPR 2022, §3.2): greedy k-center selection
/// (farthest-first traversal) on Johnson–Lindenstrauss random projections of the features.
///
/// - Projection: features with more than `projectionDimension` channels are multiplied by a seeded
///   Gaussian matrix `[C, d]` with entries N(0, 1/d) (distances preserved in expectation); features
///   with at most `d` channels (FPFH's 33) are used as they are, since projecting up saves nothing.
/// - Start: a uniformly random row drawn from the seed (as anomalib's `KCenterGreedy`; the
///   official code's approximate sampler instead starts from distances to 10 random rows).
/// - Step: the row farthest (squared Euclidean, ties: lowest index) from every row chosen so far.
///   If that distance is 0 every remaining row coincides with a chosen one and selection stops
///   early: duplicates would not change any nearest-neighbour distance.
public enum GreedyCoreset {
    /// Fewest rows handed to one core per step.
    static let minimumRowsPerChunk = 8192

    /// Indices (in selection order) of `max(1, ⌊ratio · N⌋)` rows of `features` (`[N, C]`), or all
    /// rows in order when `ratio ≥ 1`.
    public static func select(
        _ features: Tensor, ratio: Float, projectionDimension: Int, seed: UInt64
    ) throws -> [Int] {
        guard ratio.isFinite, ratio > 0 else {
            throw BaselineError.invalidParameter(name: "coreset ratio", value: "\(ratio)", requirement: "in (0, 1]")
        }
        guard projectionDimension >= 1 else {
            throw BaselineError.invalidParameter(
                name: "projection dimension", value: "\(projectionDimension)", requirement: ">= 1")
        }
        precondition(features.rank == 2, "coreset selection needs [N, C] features, got \(features.shape)")
        let n = features.shape[0]
        guard ratio < 1 else { return Array(0..<n) }
        guard n > 0 else { return [] }
        var generator = SeededGenerator(seed: seed)
        let projected = project(features, dimension: projectionDimension, using: &generator)
        let start = Int(Downsampling.uniform(below: UInt64(n), using: &generator))
        return farthestFirst(projected, count: max(1, Int(Double(n) * Double(ratio))), start: start)
    }

    /// `features · P` with a seeded Gaussian `P` (`[C, dimension]`, entries N(0, 1/dimension)), or
    /// `features` itself when it has at most `dimension` channels.
    static func project(_ features: Tensor, dimension: Int, using generator: inout SeededGenerator) -> Tensor {
        let channels = features.shape[1]
        guard channels > dimension else { return features }
        let scale = 1 / Float(dimension).squareRoot()
        let matrix = (0..<(channels * dimension)).map { _ in generator.nextGaussian() * scale }
        return features.matmul(Tensor(shape: [channels, dimension], storage: matrix))
    }

    /// Greedy k-center from row `start` of `points` (`[N, D]`): up to `count` row indices.
    static func farthestFirst(_ points: Tensor, count: Int, start: Int) -> [Int] {
        let n = points.shape[0], d = points.shape[1]
        var nearest = [Float](repeating: .infinity, count: n)
        var chosen = [start]
        chosen.reserveCapacity(count)
        let chunks = ParallelMap.chunkCount(for: n, minimumChunk: minimumRowsPerChunk)
        var chunkBest = [(distance: Float, index: Int)](repeating: (-1, 0), count: chunks)
        points.storage.withUnsafeBufferPointer { rows in
            nearest.withUnsafeMutableBufferPointer { nearest in
                chunkBest.withUnsafeMutableBufferPointer { chunkBest in
                    while chosen.count < count {
                        let center = chosen[chosen.count - 1]
                        ParallelMap.perform(chunks: chunks) { chunk in
                            var best: (distance: Float, index: Int) = (-1, 0)
                            for i in ParallelMap.range(chunk, of: chunks, count: n) {
                                let distance = min(nearest[i], squaredDistance(rows, i, center, columns: d))
                                nearest[i] = distance
                                if distance > best.distance { best = (distance, i) }
                            }
                            chunkBest[chunk] = best
                        }
                        var best = chunkBest[0]
                        for candidate in chunkBest.dropFirst() where candidate.distance > best.distance { best = candidate }
                        guard best.distance > 0 else { break }
                        chosen.append(best.index)
                    }
                }
            }
        }
        return chosen
    }

    /// `‖x_i − x_j‖²` of two rows of a flat `[·, columns]` matrix, summed in `Float` in a fixed
    /// order (eight interleaved partial sums, then the remainder), so it vectorises and is
    /// reproducible.
    static func squaredDistance(_ rows: UnsafeBufferPointer<Float>, _ i: Int, _ j: Int, columns: Int) -> Float {
        let a = rows.baseAddress! + i * columns, b = rows.baseAddress! + j * columns
        var partial = SIMD8<Float>.zero
        var c = 0
        while c + 8 <= columns {
            let difference = UnsafeRawPointer(a + c).loadUnaligned(as: SIMD8<Float>.self)
                - UnsafeRawPointer(b + c).loadUnaligned(as: SIMD8<Float>.self)
            partial += difference * difference
            c += 8
        }
        var sum = partial.sum()
        while c < columns {
            let difference = a[c] - b[c]
            sum += difference * difference
            c += 1
        }
        return sum
    }
}
