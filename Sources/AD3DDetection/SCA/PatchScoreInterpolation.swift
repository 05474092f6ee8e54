import AD3DPointCloud

/// Spreads patch scores to every point: each point takes the
/// inverse-squared-distance-weighted mean of the scores of its nearest patch centres, with
/// weights `1 / (d² + 1e-8)` as in M3DM's `interpolating_points`.
public struct PatchScoreInterpolation: Sendable, Codable, Equatable {
    /// Number of nearest centres blended per point (1 = nearest centre only).
    public var neighbors: Int

    /// An interpolation over `neighbors` nearest centres.
    public init(neighbors: Int = 3) {
        precondition(neighbors >= 1, "at least one centre per point")
        self.neighbors = neighbors
    }

    /// One score per point of `points` from `scores[g]` at `centers[g]` (both in one frame).
    public func pointScores(for points: PointCloud, centers: PointCloud, scores: [Float]) throws -> [Float] {
        precondition(centers.count == scores.count, "one score per centre")
        let tree = try KDTree(centers)
        let table = tree.nearest(k: min(neighbors, centers.count), to: points)
        var result = [Float](repeating: 0, count: points.count)
        for point in 0..<points.count {
            var weighted: Float = 0, total: Float = 0
            for slot in table.offsets[point]..<table.offsets[point + 1] {
                let weight = 1 / (table.squaredDistances[slot] + 1e-8)
                weighted += weight * scores[Int(table.indices[slot])]
                total += weight
            }
            result[point] = weighted / total
        }
        return result
    }
}
