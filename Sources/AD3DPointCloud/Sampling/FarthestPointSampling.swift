import AD3DTensor

/// Exact farthest point sampling (FPS), O(N·G), deterministic and identical serial or parallel.
///
/// Each step picks the point whose squared distance to the nearest already chosen point is
/// largest; ties go to the lowest index. When fewer than `count` distinct positions are
/// available (count > N, or duplicate points), later steps see only zero distances and the tie
/// rule picks the lowest eligible index again, so **indices repeat** — as the Point-MAE CUDA kernel does.
public enum FarthestPointSampling {
    /// Which variant of the algorithm to run.
    public enum Mode: Sendable, Equatable {
        /// Plain FPS: every point is eligible, running distances start at +∞.
        case standard
        /// The Pointnet2 CUDA kernel that Point-MAE calls: points with
        /// |p|² ≤ 1e-3 are never updated or chosen (apart from the start), running distances start
        /// at 1e10. If no point is eligible, every later pick is index 0. The kernel breaks exact ties
        /// by its thread stride; here ties go to the lowest index (the same whenever the maximum is unique).
        case pointMAE
    }

    /// Squared norm at or below which `.pointMAE` skips a point.
    public static let pointMAESkipSquaredNorm: Float = 1e-3
    /// Initial running distance of `.pointMAE`.
    public static let pointMAEInitialDistance: Float = 1e10
    /// Fewest points per core in one step's update; smaller clouds are updated by one core.
    static let minimumParallelChunk = 1 << 16

    typealias Lanes = SIMD8<Float>

    /// The indices of `count` points chosen by FPS, in selection order, starting at `start`.
    public static func sample(
        _ cloud: PointCloud, count: Int, start: Int = 0, mode: Mode = .standard
    ) throws -> [Int] {
        try sample(cloud, count: count, start: start, mode: mode, minimumParallelChunk: minimumParallelChunk)
    }

    /// `sample(_:count:start:mode:)` with an explicit parallel threshold (tests force the parallel path).
    static func sample(
        _ cloud: PointCloud, count: Int, start: Int, mode: Mode, minimumParallelChunk: Int
    ) throws -> [Int] {
        let operation = "farthest point sampling"
        guard count >= 0 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "count", value: "\(count)", requirement: ">= 0")
        }
        if count == 0 { return [] }
        guard !cloud.isEmpty else { throw SamplingError.emptyCloud(operation: operation) }
        guard cloud.count <= Int(Int32.max) - 2 * Lanes.scalarCount else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "point count", value: "\(cloud.count)", requirement: "< 2^31")
        }
        guard (0..<cloud.count).contains(start) else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "start", value: "\(start)",
                requirement: "a point index in 0..<\(cloud.count)")
        }
        try cloud.requireFiniteCoordinates(operation: operation)
        let state = FPSState(cloud, mode: mode, minimumChunk: minimumParallelChunk)
        defer { state.deallocate() }
        var chosen = [start]
        chosen.reserveCapacity(min(count, cloud.count))
        var last = start
        for _ in 1..<count {
            last = state.updateAndSelect(center: cloud[last])
            chosen.append(last)
        }
        return chosen
    }
}

/// Structure-of-arrays working set of one FPS run, padded to whole SIMD blocks; padding lanes
/// hold a running distance of -∞ so they are never chosen over a real point.
private struct FPSState {
    typealias Lanes = FarthestPointSampling.Lanes

    /// Blocks per argmax segment: small enough to rescan, large enough to amortise the reduction.
    static let segmentBlocks = 128

    let blockCount: Int
    let minimumChunk: Int
    let xs, ys, zs, running: UnsafeMutablePointer<Lanes>

    init(_ cloud: PointCloud, mode: FarthestPointSampling.Mode, minimumChunk: Int) {
        self.minimumChunk = minimumChunk
        let width = Lanes.scalarCount
        blockCount = (cloud.count + width - 1) / width
        xs = .allocate(capacity: blockCount)
        ys = .allocate(capacity: blockCount)
        zs = .allocate(capacity: blockCount)
        running = .allocate(capacity: blockCount)
        let n = cloud.count
        cloud.coordinates.withUnsafeBufferPointer { c in
            for b in 0..<blockCount {
                var x = Lanes(), y = Lanes(), z = Lanes(), r = Lanes(repeating: -.infinity)
                for lane in 0..<width where b * width + lane < n {
                    let i = b * width + lane
                    x[lane] = c[3 * i]; y[lane] = c[3 * i + 1]; z[lane] = c[3 * i + 2]
                    switch mode {
                    case .standard:
                        r[lane] = .infinity
                    case .pointMAE:
                        let squaredNorm = x[lane] * x[lane] + y[lane] * y[lane] + z[lane] * z[lane]
                        r[lane] = squaredNorm <= FarthestPointSampling.pointMAESkipSquaredNorm
                            ? -.infinity : FarthestPointSampling.pointMAEInitialDistance
                    }
                }
                xs[b] = x; ys[b] = y; zs[b] = z; running[b] = r
            }
        }
    }

    func deallocate() {
        xs.deallocate(); ys.deallocate(); zs.deallocate(); running.deallocate()
    }

    /// Lowers every running distance to the distance to `center` and returns the index of the
    /// largest running distance (lowest index on ties).
    func updateAndSelect(center: SIMD3<Float>) -> Int {
        let chunks = ParallelMap.chunkCount(for: blockCount * Lanes.scalarCount, minimumChunk: minimumChunk)
        if chunks == 1 { return Int(updateBlocks(0..<blockCount, center: center).index) }
        var best = [(value: Float, index: Int32)](repeating: (-.infinity, 0), count: chunks)
        best.withUnsafeMutableBufferPointer { out in
            ParallelMap.perform(chunks: chunks) { c in
                out[c] = updateBlocks(ParallelMap.range(c, of: chunks, count: blockCount), center: center)
            }
        }
        var winner = best[0]
        for candidate in best.dropFirst() where candidate.value > winner.value { winner = candidate }
        return Int(winner.index)
    }

    /// The serial kernel over blocks `blocks`. The hot loop only updates and takes a running
    /// maximum per segment of `segmentBlocks` blocks; the first segment holding the overall
    /// maximum is rescanned for its first occurrence, which is the lowest index with that value.
    private func updateBlocks(_ blocks: Range<Int>, center: SIMD3<Float>) -> (value: Float, index: Int32) {
        let cx = Lanes(repeating: center.x), cy = Lanes(repeating: center.y), cz = Lanes(repeating: center.z)
        var best = -Float.infinity
        var bestSegment = blocks.lowerBound
        for segment in stride(from: blocks.lowerBound, to: blocks.upperBound, by: Self.segmentBlocks) {
            var segmentMax = Lanes(repeating: -.infinity)
            for b in segment..<min(segment + Self.segmentBlocks, blocks.upperBound) {
                let dx = xs[b] - cx, dy = ys[b] - cy, dz = zs[b] - cz
                // Compare-and-select rather than pointwiseMin/Max, which the stdlib does not inline.
                let distance = dx * dx + dy * dy + dz * dz
                var lowered = running[b]
                lowered.replace(with: distance, where: distance .< lowered)
                running[b] = lowered
                segmentMax.replace(with: lowered, where: lowered .> segmentMax)
            }
            let top = segmentMax.max()
            if top > best || segment == blocks.lowerBound {
                best = top
                bestSegment = segment
            }
        }
        for b in bestSegment..<min(bestSegment + Self.segmentBlocks, blocks.upperBound) {
            for lane in 0..<Lanes.scalarCount where running[b][lane] == best {
                return (best, Int32(b * Lanes.scalarCount + lane))
            }
        }
        preconditionFailure("the segment maximum must occur in its segment")
    }
}
