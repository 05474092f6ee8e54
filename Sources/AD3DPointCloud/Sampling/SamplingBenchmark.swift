import AD3DSupport

/// Wall-clock timings of the sampling kernels on synthetic scans, for `ad3d bench`.
public enum SamplingBenchmark {
    /// One measured operation.
    public struct Timing: Sendable, Equatable {
        /// What was measured, e.g. "FPS 100000 → 1024".
        public var name: String
        /// Best wall-clock time over the repetitions, in seconds.
        public var seconds: Double
    }

    /// Points on a unit sphere with 1 % radial noise: a closed scanned surface.
    public static func syntheticScan(count: Int, seed: UInt64) -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        var coordinates = [Float]()
        coordinates.reserveCapacity(3 * count)
        for _ in 0..<count {
            let d = SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            let length = max((d * d).sum().squareRoot(), .leastNormalMagnitude)
            let p = d / length * (1 + 0.01 * generator.nextGaussian())
            coordinates += [p.x, p.y, p.z]
        }
        return PointCloud(coordinates: coordinates)
    }

    /// FPS (N → `groups`), batched KNN (`groups` queries × `k`) and normals (k = 30) for each N.
    public static func run(
        pointCounts: [Int] = [100_000, 1_000_000], groups: Int = 1024, k: Int = 32, repetitions: Int = 3
    ) throws -> [Timing] {
        var timings = [Timing]()
        for n in pointCounts {
            let cloud = syntheticScan(count: n, seed: UInt64(n))
            timings.append(Timing(name: "FPS \(n) → \(groups)", seconds: try Stopwatch.bestOf(repetitions) {
                _ = try FarthestPointSampling.sample(cloud, count: groups, mode: .pointMAE)
            }))
            var tree: KDTree?
            timings.append(Timing(name: "k-d tree build \(n)", seconds: try Stopwatch.bestOf(repetitions) {
                tree = try KDTree(cloud)
            }))
            guard let tree else { continue }
            let queries = cloud.selecting(Array(stride(from: 0, to: n, by: max(1, n / groups)).prefix(groups)))
            timings.append(Timing(name: "KNN \(queries.count) × \(k) on \(n)", seconds: Stopwatch.bestOf(repetitions) {
                _ = tree.nearest(k: k, to: queries)
            }))
            timings.append(Timing(name: "normals k=30 on \(n) (tree reused)", seconds: try Stopwatch.bestOf(repetitions) {
                _ = try NormalEstimation(neighborhood: .nearest(k: 30)).estimate(cloud, tree: tree)
            }))
        }
        return timings
    }
}
