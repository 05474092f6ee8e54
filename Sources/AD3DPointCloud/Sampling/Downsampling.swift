import AD3DSupport

/// The result of voxel-grid downsampling.
public struct VoxelDownsampling: Sendable, Equatable {
    /// One point per occupied voxel: the centroid of the input points in it, in order of the voxel's
    /// first occurrence in the input. A voxel's label is 1 if any of its points is labelled 1.
    public var cloud: PointCloud
    /// For each input point, the index of its voxel's point in `cloud` (length N).
    public var assignment: [Int32]
}

/// Point-count reduction: voxel-grid centroids and seeded random subsets.
public enum Downsampling {
    /// Largest number of voxels along one axis; keys pack three 21-bit cell offsets into 64 bits.
    public static let maximumVoxelsPerAxis = 1 << 21

    /// Replaces the points of each occupied voxel by their centroid.
    ///
    /// The grid is anchored at the world origin: point `p` falls in cell `floor(p / voxelSize)`
    /// (per axis, computed in `Float`). Centroids are averaged in `Double`.
    public static func voxelGrid(_ cloud: PointCloud, voxelSize: Float) throws -> VoxelDownsampling {
        let operation = "voxel downsampling"
        guard voxelSize.isFinite, voxelSize > 0 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "voxelSize", value: "\(voxelSize)", requirement: "finite and > 0")
        }
        try cloud.requireFiniteCoordinates(operation: operation)
        guard let box = cloud.boundingBox else { return VoxelDownsampling(cloud: cloud, assignment: []) }
        let lowCell = (box.min / voxelSize).rounded(.down)
        let highCell = (box.max / voxelSize).rounded(.down)
        let cellsPerAxis = highCell - lowCell + 1
        guard all(cellsPerAxis .<= Float(maximumVoxelsPerAxis)) else {
            throw SamplingError.voxelGridTooFine(
                voxelSize: voxelSize, voxelsPerAxis: Double(cellsPerAxis.max()), limit: maximumVoxelsPerAxis)
        }

        let n = cloud.count
        var assignment = [Int32](repeating: 0, count: n)
        var voxelOf = [UInt64: Int32](minimumCapacity: min(n, 1 << 20))
        var sums = [SIMD3<Double>]()
        var counts = [Int]()
        cloud.coordinates.withUnsafeBufferPointer { c in
            for i in 0..<n {
                let p = SIMD3(c[3 * i], c[3 * i + 1], c[3 * i + 2])
                let cell = SIMD3<UInt64>((p / voxelSize).rounded(.down) - lowCell)
                let key = cell.x | (cell.y << 21) | (cell.z << 42)
                let voxel: Int32
                if let existing = voxelOf[key] {
                    voxel = existing
                } else {
                    voxel = Int32(sums.count)
                    voxelOf[key] = voxel
                    sums.append(.zero)
                    counts.append(0)
                }
                sums[Int(voxel)] += SIMD3<Double>(p)
                counts[Int(voxel)] += 1
                assignment[i] = voxel
            }
        }

        var coordinates = [Float]()
        coordinates.reserveCapacity(3 * sums.count)
        for (sum, count) in zip(sums, counts) {
            let mean = SIMD3<Float>(sum / Double(count))
            coordinates += [mean.x, mean.y, mean.z]
        }
        let labels = cloud.labels.map { pointLabels in
            var voxelLabels = [UInt8](repeating: 0, count: sums.count)
            for (label, voxel) in zip(pointLabels, assignment) where label != 0 { voxelLabels[Int(voxel)] = 1 }
            return voxelLabels
        }
        return VoxelDownsampling(cloud: PointCloud(coordinates: coordinates, labels: labels), assignment: assignment)
    }

    /// `count` distinct indices drawn uniformly without replacement from `0..<population`, **sorted
    /// ascending** (so a selected sub-cloud keeps the input order). Deterministic for a generator state.
    ///
    /// Uses a partial Fisher–Yates shuffle with unbiased bounded draws from `generator`.
    public static func randomIndices(
        count: Int, from population: Int, using generator: inout SeededGenerator
    ) throws -> [Int] {
        guard count >= 0, count <= population else {
            throw SamplingError.invalidParameter(
                operation: "random downsampling", name: "count", value: "\(count)",
                requirement: "between 0 and the number of points (\(population))")
        }
        var pool = Array(0..<population)
        for i in 0..<count {
            let j = i + Int(uniform(below: UInt64(population - i), using: &generator))
            pool.swapAt(i, j)
        }
        return pool[0..<count].sorted()
    }

    /// A random subset of `count` points (input order kept); see `randomIndices(count:from:using:)`.
    public static func random(
        _ cloud: PointCloud, count: Int, using generator: inout SeededGenerator
    ) throws -> PointCloud {
        cloud.selecting(try randomIndices(count: count, from: cloud.count, using: &generator))
    }

    /// At most `count` points of `cloud` (input order kept), drawn with a fixed seed, so a cloud
    /// always gives the same subset; the cloud itself when it has no more points.
    public static func fixedSubset(_ cloud: PointCloud, count: Int) throws -> PointCloud {
        guard cloud.count > count else { return cloud }
        return cloud.selecting(try fixedSubsetIndices(count: count, from: cloud.count))
    }

    /// The indices of `fixedSubset(_:count:)` in a cloud of `population` points, ascending (all of
    /// them when there are no more than `count`).
    public static func fixedSubsetIndices(count: Int, from population: Int) throws -> [Int] {
        guard population > count else { return Array(0..<population) }
        var generator = SeededGenerator(seed: 0)
        return try randomIndices(count: count, from: population, using: &generator)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject), independent of stdlib internals.
    package static func uniform(below bound: UInt64, using generator: inout SeededGenerator) -> UInt64 {
        precondition(bound > 0, "uniform(below:) needs a positive bound")
        var product = generator.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = generator.next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}
