import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud

/// Reference implementations and data generators shared by the sampling tests.
enum SamplingReference {
    /// `count` points uniform in the cube [-extent, extent)³.
    static func uniformCloud(count: Int, extent: Float = 1, seed: UInt64) -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        let coordinates = (0..<(3 * count)).map { _ in (generator.nextUnitFloat() * 2 - 1) * extent }
        return PointCloud(coordinates: coordinates)
    }

    /// Integer grid points `0..<side` on each axis (many exactly tied distances), followed by
    /// copies of every `duplicateStride`-th point.
    static func gridCloud(side: Int, duplicateStride: Int = 7) -> PointCloud {
        var points = [SIMD3<Float>]()
        for x in 0..<side { for y in 0..<side { for z in 0..<side { points.append(SIMD3(Float(x), Float(y), Float(z))) } } }
        points += stride(from: 0, to: points.count, by: duplicateStride).map { points[$0] }
        return PointCloud(points: points)
    }

    /// Squared distance exactly as the library computes it: `(dx² + dy²) + dz²` with `d = p − q`.
    static func squaredDistance(_ p: SIMD3<Float>, _ q: SIMD3<Float>) -> Float {
        let dx = p.x - q.x, dy = p.y - q.y, dz = p.z - q.z
        return dx * dx + dy * dy + dz * dz
    }

    /// All points within `radiusSquared` of `query`, sorted by (distance, index).
    static func sortedNeighbors(of query: SIMD3<Float>, in cloud: PointCloud, radiusSquared: Float = .infinity) -> Neighbors {
        var pairs: [(distance: Float, index: Int)] = []
        for i in 0..<cloud.count {
            let distance = squaredDistance(cloud[i], query)
            if distance <= radiusSquared { pairs.append((distance, i)) }
        }
        pairs.sort { a, b in a.distance < b.distance || (a.distance == b.distance && a.index < b.index) }
        return Neighbors(indices: pairs.map { $0.index }, squaredDistances: pairs.map { $0.distance })
    }

    /// The first `k` brute-force neighbours within `radiusSquared`.
    static func nearest(k: Int, to query: SIMD3<Float>, in cloud: PointCloud, radiusSquared: Float = .infinity) -> Neighbors {
        let all = sortedNeighbors(of: query, in: cloud, radiusSquared: radiusSquared)
        let n = min(k, all.indices.count)
        return Neighbors(indices: Array(all.indices.prefix(n)), squaredDistances: Array(all.squaredDistances.prefix(n)))
    }

    /// The Pointnet2 CUDA FPS kernel run by a single thread (first maximum wins), optionally
    /// without the near-origin skip and with +∞ initial distances (standard FPS).
    static func naiveFarthestPoints(_ cloud: PointCloud, count: Int, start: Int = 0, pointMAE: Bool) -> [Int] {
        var running = [Float](repeating: pointMAE ? 1e10 : .infinity, count: cloud.count)
        var chosen = [start]
        var last = start
        for _ in 1..<max(1, count) {
            var best: Float = -1
            var bestIndex = 0
            for k in 0..<cloud.count {
                let p = cloud[k]
                if pointMAE && p.x * p.x + p.y * p.y + p.z * p.z <= 1e-3 { continue }
                running[k] = min(squaredDistance(p, cloud[last]), running[k])
                if running[k] > best {
                    best = running[k]
                    bestIndex = k
                }
            }
            chosen.append(bestIndex)
            last = bestIndex
        }
        return Array(chosen.prefix(count))
    }
}
