/// The clean surface of a part, pooled from its training scans: every training scan moved exactly
/// onto the first (ICP), an equal share of each one's points pooled, each with the normal of its
/// neighbourhood. A scan's deviation at a point is its distance to the nearest of the tangent planes
/// of its nearest template points, once the scan is moved exactly onto the template (point-to-plane ICP): a bump,
/// dent, chip, crack or bend moves points off the clean surface even where it leaves the patch
/// features unchanged.
public struct SurfaceTemplate: Sendable {
    /// Most template points kept from the pooled training scans.
    public static let maximumPoints = 32768
    /// Neighbours (the point included) whose covariance gives a template point's normal.
    public static let normalNeighbors = 12
    /// Held-out training scans measured when calibrating deviations.
    public static let calibrationScans = 8
    /// Points of a held-out scan measured when calibrating deviations.
    public static let calibrationPoints = 8192
    /// Nearest template points whose tangent planes a deviation is measured to (the nearest of
    /// them counts): near a sharp edge the nearest point's normal may belong to the other face.
    public static let planeCandidates = 3

    /// Point-to-plane ICP onto the template: its points, normals and k-d tree.
    private let icp: PointToPlaneICP
    /// The template points (model frame).
    public var points: PointCloud { icp.target }
    /// Unit normals of the template points, `[N, 3]` flat (sign arbitrary).
    public var normals: [Float] { icp.normals }

    /// A template from its points (at least 3, finite) and their normals.
    public init(points: PointCloud, normals: [Float]) throws {
        precondition(normals.count == 3 * points.count, "a template needs one normal per point")
        try points.requireFiniteCoordinates(operation: "surface template")
        guard points.count >= 3 else { throw SamplingError.tooFewPoints(operation: "surface template", required: 3, available: points.count) }
        icp = PointToPlaneICP(target: points, normals: normals, tree: try KDTree(points))
    }

    /// The template of `scans` (model frame, in one pose): each moved exactly onto the first, up
    /// to `maximumPoints / scans.count` (rounded up) points of each pooled, normals estimated.
    public init(scans: [PointCloud]) throws {
        try self.init(alignedScans: try Self.aligned(scans))
    }

    /// The template of scans already moved onto one another.
    private init(alignedScans scans: [PointCloud]) throws {
        let share = (Self.maximumPoints + scans.count - 1) / max(scans.count, 1)
        let pooled = PointCloud(coordinates: try scans.flatMap { try Downsampling.fixedSubset($0, count: share).coordinates })
        let tree = try KDTree(pooled)
        let normals = try NormalEstimation(neighborhood: .nearest(k: Self.normalNeighbors)).estimate(pooled, tree: tree).normals
        icp = PointToPlaneICP(target: pooled, normals: normals, tree: tree)
    }

    /// `scans` with every scan after the first moved exactly onto the first.
    private static func aligned(_ scans: [PointCloud]) throws -> [PointCloud] {
        guard let first = scans.first else { throw SamplingError.tooFewPoints(operation: "surface template", required: 3, available: 0) }
        let onto = try RigidRegistration(reference: Downsampling.fixedSubset(first, count: maximumPoints))
        return try [first] + scans.dropFirst().map { try onto.refinement(of: $0).apply(to: $0) }
    }

    /// The deviation of every point of `cloud` (model frame, about in the template's pose), in
    /// scan order: after the point-to-plane ICP, its distance to the nearest of the tangent planes
    /// of its `planeCandidates` nearest template points.
    public func deviations(of cloud: PointCloud) throws -> [Float] {
        deviations(ofMoved: try moved(cloud))
    }

    /// `cloud` (model frame, about in the template's pose) moved exactly onto the template by the
    /// point-to-plane ICP.
    public func moved(_ cloud: PointCloud) throws -> PointCloud {
        try icp.refinement(of: cloud).apply(to: cloud)
    }

    /// `deviations(of:)` of a cloud already `moved(_:)` onto the template.
    public func deviations(ofMoved moved: PointCloud) -> [Float] {
        let nearest = icp.tree.nearest(k: Self.planeCandidates, to: moved)
        return (0..<moved.count).map { i in
            var deviation = Float.infinity
            for slot in nearest.offsets[i]..<nearest.offsets[i + 1] {
                let j = Int(nearest.indices[slot])
                deviation = min(deviation, abs(((moved[i] - icp.target[j]) * icp.normal(of: j)).sum()))
            }
            return deviation
        }
    }

    /// The template of `scans` (model frame, in one pose; at least one), the statistics of clean
    /// deviations and the mean fraction of a template that a clean scan leaves uncovered
    /// (`CoverageGaps`): up to `calibrationScans` scans are each held out in turn and measured
    /// against the template of the others. A single scan is split into two interleaved halves, one
    /// measured against the template of the other: that scale holds sampling and scanner noise
    /// only, as no second part shows how much clean parts differ.
    public static func calibrated(scans: [PointCloud]) throws -> (template: SurfaceTemplate, statistics: ScoreStatistics, uncoveredFraction: Float) {
        let aligned = try aligned(scans)
        let heldOut = aligned.count == 1 ? [halves(of: aligned[0])] : aligned.indices.prefix(calibrationScans).map { i in
            (template: aligned.indices.filter { $0 != i }.map { aligned[$0] }, scan: aligned[i])
        }
        var deviations = [Float](), uncovered = Float(0)
        for (others, scan) in heldOut {
            let template = try SurfaceTemplate(alignedScans: others)
            let moved = try template.moved(Downsampling.fixedSubset(scan, count: calibrationPoints))
            deviations += template.deviations(ofMoved: moved)
            uncovered += try CoverageGaps.uncoveredFraction(by: moved, template: template.points) / Float(heldOut.count)
        }
        return (try SurfaceTemplate(alignedScans: aligned), ScoreStatistics(of: deviations), uncovered)
    }

    /// The points of `scan` at even positions (as a template) and at odd positions (held out).
    private static func halves(of scan: PointCloud) -> (template: [PointCloud], scan: PointCloud) {
        ([scan.selecting(Array(stride(from: 0, to: scan.count, by: 2)))], scan.selecting(Array(stride(from: 1, to: scan.count, by: 2))))
    }
}
