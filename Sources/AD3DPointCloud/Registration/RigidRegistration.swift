import AD3DTensor

/// Brings a scan of a part, in any orientation, onto a reference scan of the same part: the
/// principal axes of both propose 24 orientations (every way of matching the reference's axes to
/// the scan's with determinant +1, so near-equal axis lengths cannot mislead it), a short trimmed
/// ICP runs from each, and a long trimmed ICP refines the best. Deterministic: subsamples are
/// drawn with a fixed seed.
public struct RigidRegistration: Sendable {
    /// The cloud every scan is moved onto.
    public let reference: PointCloud
    /// Points of the scan used by the short ICP from each candidate orientation.
    public var coarsePoints = 512
    /// Iterations of each short ICP.
    public var coarseIterations = 8
    /// Points of the scan used by the refining ICP.
    public var finePoints = 2048
    /// Iterations of the refining ICP.
    public var fineIterations = 30
    /// Fraction of the closest correspondences each ICP step fits (the rest may be a defect or a
    /// part of the scan the reference lacks).
    public var inlierFraction: Float = 0.9

    /// The reference's sampling spacing: the median distance from one of its points to the nearest other.
    public let spacing: Float

    private let tree: KDTree
    private let referenceAxes: PrincipalAxes

    /// A registration onto `reference` (at least 3 finite points).
    public init(reference: PointCloud) throws {
        try Self.validate(reference)
        self.reference = reference
        tree = try KDTree(reference)
        referenceAxes = PrincipalAxes(of: reference)
        spacing = tree.medianSpacing(at: reference)
    }

    /// The motion taking `cloud` (at least 3 finite points) onto the reference, and the median
    /// distance from its moved points to the reference's nearest ones.
    public func alignment(of cloud: PointCloud) throws -> (transform: RigidTransform, gap: Float) {
        try Self.validate(cloud)
        let axes = PrincipalAxes(of: cloud)
        let coarse = try Downsampling.fixedSubset(cloud, count: coarsePoints)
        let candidates = referenceAxes.startingMotions(from: axes).map { start in
            iterate(coarse, from: start, iterations: coarseIterations)
        }
        let best = candidates.indices.min { candidates[$0].gap < candidates[$1].gap }!
        return iterate(try Downsampling.fixedSubset(cloud, count: finePoints), from: candidates[best].transform, iterations: fineIterations)
    }

    /// The motion taking `cloud` (at least 3 finite points), already about in place, exactly onto
    /// the reference: the refining ICP alone, started from where the scan lies.
    public func refinement(of cloud: PointCloud) throws -> RigidTransform {
        try Self.validate(cloud)
        return iterate(try Downsampling.fixedSubset(cloud, count: finePoints), from: .identity, iterations: fineIterations).transform
    }

    /// The median distance from up to `finePoints` of the points of `cloud`, where it is, to the
    /// reference's nearest ones: the gap `alignment(of:)` reports for the identity motion.
    public func gap(of cloud: PointCloud) throws -> Float {
        try Self.validate(cloud)
        return medianGap(of: try Downsampling.fixedSubset(cloud, count: finePoints))
    }

    /// The fraction of up to `finePoints` of the points of `cloud`, where it is, that lie within
    /// `distance` of a reference point: how much of the scan the reference overlaps in this pose.
    public func overlap(of cloud: PointCloud, within distance: Float) throws -> Float {
        try Self.validate(cloud)
        let points = try Downsampling.fixedSubset(cloud, count: finePoints)
        return Float(overlapping(points, within: distance).count) / Float(points.count)
    }

    /// Indices of the points of `cloud`, where it is, that lie within `distance` of a reference point.
    public func overlapping(_ cloud: PointCloud, within distance: Float) -> [Int] {
        let limit = distance * distance, nearest = tree.nearest(k: 1, to: cloud)
        return (0..<cloud.count).filter { nearest.squaredDistances[nearest.offsets[$0]] <= limit }
    }

    /// `cloud` moved onto the reference (labels kept, point order unchanged).
    public func register(_ cloud: PointCloud) throws -> PointCloud {
        try alignment(of: cloud).transform.apply(to: cloud)
    }

    /// Throws unless `cloud` has at least 3 points, all finite.
    private static func validate(_ cloud: PointCloud) throws {
        try cloud.requireFiniteCoordinates(operation: "registration")
        guard cloud.count >= 3 else {
            throw SamplingError.tooFewPoints(operation: "registration", required: 3, available: cloud.count)
        }
    }

    /// Trimmed point-to-point ICP of `points` from `start`, then the median nearest distance.
    private func iterate(_ points: PointCloud, from start: RigidTransform, iterations: Int) -> (transform: RigidTransform, gap: Float) {
        var transform = start
        let keep = max(3, Int((Float(points.count) * inlierFraction).rounded()))
        for _ in 0..<iterations {
            let nearest = tree.nearest(k: 1, to: transform.apply(to: points))
            let closest = nearest.queriesClosestFirst(keeping: keep)
            var source = [Float](), target = [Float]()
            source.reserveCapacity(3 * keep)
            target.reserveCapacity(3 * keep)
            for i in closest {
                let j = Int(nearest.indices[i])
                source += points.coordinates[(3 * i)..<(3 * i + 3)]
                target += reference.coordinates[(3 * j)..<(3 * j + 3)]
            }
            guard let fitted = LinearAlgebra.rigidAlignment(from: source, to: target) else { break }
            transform = fitted
        }
        return (transform, medianGap(of: transform.apply(to: points)))
    }

    /// The median distance from `points` to the reference's nearest ones.
    private func medianGap(of points: PointCloud) -> Float {
        let distances = tree.nearest(k: 1, to: points).squaredDistances.sorted()
        return distances[distances.count / 2].squareRoot()
    }
}

extension RigidTransform {
    /// `cloud` moved by this transform (labels kept, point order unchanged).
    public func apply(to cloud: PointCloud) -> PointCloud {
        PointCloud(coordinates: apply(toCoordinates: cloud.coordinates), labels: cloud.labels)
    }
}
