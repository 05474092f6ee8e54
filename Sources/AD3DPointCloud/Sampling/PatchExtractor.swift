import AD3DTensor

/// Local patches of a cloud: G centres and the K nearest points of each (Point-MAE grouping).
public struct Patches: Sendable, Equatable {
    /// Absolute centre coordinates, `[G, 3]`: exact copies of input points, in FPS order.
    public var centers: Tensor
    /// Neighbour coordinates relative to their centre, `[G, K, 3]`, nearest first.
    public var neighborhoods: Tensor
    /// Input index of each centre, `[G]`.
    public var centerIndices: [Int]
    /// Input index of each neighbour, `[G * K]` row-major (group-major), nearest first.
    public var indices: [Int32]

    /// Number of groups G.
    public var groupCount: Int { centerIndices.count }
    /// Points per group K.
    public var groupSize: Int { neighborhoods.shape[1] }
}

/// Groups a cloud into patches as Point-MAE's `Group` module does: FPS picks G
/// centres (index 0 first), then each centre takes its K nearest input points by squared distance,
/// ascending with ties to the lower index — the centre itself included, usually in slot 0.
///
/// With G > N the sampler repeats centres, as the CUDA kernel does; K > N is an error.
public struct PatchExtractor: Sendable, Equatable {
    /// Number of groups G.
    public var groupCount: Int
    /// Points per group K.
    public var groupSize: Int
    /// FPS variant for the centres; `.pointMAE` reproduces the reference kernel.
    public var samplingMode: FarthestPointSampling.Mode

    /// An extractor for `groupCount` groups of `groupSize` points.
    public init(groupCount: Int, groupSize: Int, samplingMode: FarthestPointSampling.Mode = .pointMAE) {
        self.groupCount = groupCount
        self.groupSize = groupSize
        self.samplingMode = samplingMode
    }

    /// The patches of `cloud`, building a k-d tree for the neighbour search.
    public func callAsFunction(_ cloud: PointCloud) throws -> Patches {
        try validate(cloud)
        return try extract(cloud, tree: KDTree(cloud))
    }

    /// The patches of `cloud`, reusing `tree`, which must have been built over `cloud`.
    public func extract(_ cloud: PointCloud, tree: KDTree) throws -> Patches {
        try validate(cloud)
        let centerIndices = try FarthestPointSampling.sample(cloud, count: groupCount, mode: samplingMode)
        return neighborhoods(of: cloud, tree: tree, centerIndices: centerIndices)
    }

    /// The patches of `cloud` around the given centres (indices into `cloud`): each takes its
    /// `groupSize` nearest points of `cloud` through `tree`, which must have been built over `cloud`.
    public func neighborhoods(of cloud: PointCloud, tree: KDTree, centerIndices: [Int]) -> Patches {
        precondition(tree.count == cloud.count, "the k-d tree was built over a different cloud")
        precondition(cloud.count >= groupSize, "a patch needs \(groupSize) points, the cloud has \(cloud.count)")
        let groupCount = centerIndices.count
        let centers = cloud.selecting(centerIndices)
        let table = tree.nearest(k: groupSize, to: centers)
        var relative = [Float](repeating: 0, count: groupCount * groupSize * 3)
        cloud.coordinates.withUnsafeBufferPointer { c in
            for g in 0..<groupCount {
                let center = centers[g]
                for k in 0..<groupSize {
                    let slot = g * groupSize + k
                    let source = 3 * Int(table.indices[slot])
                    relative[3 * slot] = c[source] - center.x
                    relative[3 * slot + 1] = c[source + 1] - center.y
                    relative[3 * slot + 2] = c[source + 2] - center.z
                }
            }
        }
        return Patches(
            centers: Tensor(shape: [groupCount, 3], storage: centers.coordinates),
            neighborhoods: Tensor(shape: [groupCount, groupSize, 3], storage: relative),
            centerIndices: centerIndices,
            indices: table.indices)
    }

    private func validate(_ cloud: PointCloud) throws {
        let operation = "patch extraction"
        guard groupCount >= 1 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "groupCount", value: "\(groupCount)", requirement: ">= 1")
        }
        guard groupSize >= 1 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "groupSize", value: "\(groupSize)", requirement: ">= 1")
        }
        guard groupCount <= Int(Int32.max) / groupSize / 3 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "groupCount × groupSize", value: "\(groupCount) × \(groupSize)",
                requirement: "< 2^31 / 3")
        }
        guard cloud.count >= groupSize else {
            throw SamplingError.tooFewPoints(operation: operation, required: groupSize, available: cloud.count)
        }
    }
}
