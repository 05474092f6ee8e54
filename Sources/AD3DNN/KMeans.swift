import AD3DSupport
import AD3DTensor

/// Seeded k-means: k-means++ seeding (Arthur & Vassilvitskii 2007) then Lloyd iterations.
public enum KMeans {
    /// `k` centroids `[k, D]` of the rows of `points` (`[N, D]`, `N ≥ 1`), deterministic for `generator`'s seed.
    /// When `N < k`, seeds repeat points. An emptied cluster keeps its previous centroid.
    public static func centroids(of points: Tensor, k: Int, iterations: Int, generator: inout SeededGenerator) -> Tensor {
        precondition(points.rank == 2 && points.shape[0] > 0 && k > 0, "k-means needs [N ≥ 1, D] points and k ≥ 1")
        var centroids = seed(points, k: k, generator: &generator)
        for _ in 0..<iterations {
            let assignment = nearest(points, centroids).indices
            var sums = Tensor(shape: centroids.shape)
            var counts = [Int](repeating: 0, count: k)
            let width = points.shape[1]
            points.storage.withUnsafeBufferPointer { x in
                sums.storage.withUnsafeMutableBufferPointer { s in
                    for (row, cluster) in assignment.enumerated() {
                        counts[cluster] += 1
                        for j in 0..<width { s[cluster * width + j] += x[row * width + j] }
                    }
                }
            }
            for cluster in 0..<k where counts[cluster] > 0 {
                for j in 0..<width { centroids.storage[cluster * width + j] = sums.storage[cluster * width + j] / Float(counts[cluster]) }
            }
        }
        return centroids
    }

    /// k-means++: the first centre uniformly, each next one with probability ∝ squared distance
    /// to the nearest centre chosen so far.
    private static func seed(_ points: Tensor, k: Int, generator: inout SeededGenerator) -> Tensor {
        let n = points.shape[0]
        var chosen = [Int(generator.next() % UInt64(n))]
        var distances = nearest(points, points.gatherRows(chosen)).squaredDistances
        while chosen.count < k {
            let total = distances.reduce(0.0) { $0 + Double($1) }
            var pick = 0
            if total > 0 {
                var target = Double(generator.nextUnitFloat()) * total
                for (index, d) in distances.enumerated() {
                    target -= Double(d)
                    pick = index
                    if target < 0 { break }
                }
            } else {
                pick = Int(generator.next() % UInt64(n))
            }
            chosen.append(pick)
            let update = nearest(points, points.gatherRows([pick])).squaredDistances
            for i in 0..<n { distances[i] = Swift.min(distances[i], update[i]) }
        }
        return points.gatherRows(chosen)
    }

    /// For every row of `points`, the index of and squared distance to the nearest row of
    /// `centers`, using `‖x − c‖² = ‖x‖² − 2x·c + ‖c‖²` with one `sgemm`.
    static func nearest(_ points: Tensor, _ centers: Tensor) -> (indices: [Int], squaredDistances: [Float]) {
        let products = points.matmul(centers, transposeB: true)  // [N, k]
        let pointNorms = squaredRowNorms(points), centerNorms = squaredRowNorms(centers)
        let k = centers.shape[0]
        var indices = [Int](repeating: 0, count: points.shape[0])
        var best = [Float](repeating: .infinity, count: points.shape[0])
        products.storage.withUnsafeBufferPointer { p in
            for i in indices.indices {
                for j in 0..<k {
                    let d = Swift.max(pointNorms[i] - 2 * p[i * k + j] + centerNorms[j], 0)
                    if d < best[i] { best[i] = d; indices[i] = j }
                }
            }
        }
        return (indices, best)
    }

    private static func squaredRowNorms(_ x: Tensor) -> [Float] {
        let width = x.shape[1]
        return (0..<x.shape[0]).map { row in
            var sum: Float = 0
            for j in 0..<width { sum += x.storage[row * width + j] * x.storage[row * width + j] }
            return sum
        }
    }
}
