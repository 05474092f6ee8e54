import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor

/// The clean surface of a part, pooled from its training scans: every training scan moved exactly
/// onto the first (ICP), an equal share of each one's points pooled, each with the normal of its
/// neighbourhood. A scan's deviation at a point is its distance to the nearest of the tangent planes
/// of its nearest template points, once the scan is moved exactly onto the template (point-to-plane ICP): a bump,
/// dent, chip, crack or bend moves points off the clean surface even where it leaves the patch
/// features unchanged. A non-rigid template also fits a smooth warp after each rigid fit (`SmoothWarp`),
/// both when pooling the training scans and when measuring a scan, for parts whose clean
/// instances differ smoothly.
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
    /// Nodes of a warp, spread over the target by farthest point sampling.
    public static let warpNodes = 48
    /// Fall-off of a warp's nodes relative to the target's bounding-box diagonal.
    public static let warpRadius: Float = 0.3

    /// Points of a scan used by `coarseRefinement(of:from:)`.
    static let coarsePoints = 512
    /// Template points `coarseRefinement(of:from:)` fits a scan onto: a scan point far off the
    /// surface has fewer of them to search through than of the whole template (a flange view's
    /// poses in 217-249 ms against 366-380 ms, AUROC over views seeds 1-5 within 0.01;
    /// docs/single-views.md).
    static let coarseTargetPoints = 4096
    /// Steps of `coarseRefinement(of:from:)`.
    static let coarseIterations = 20
    /// A short ICP stops once a step moves the scan less than this (model units plus radians).
    static let coarseConvergence: Float = 1e-4
    /// Points of a scan measured by `cappedResidual(of:)`.
    static let residualPoints = 1024
    /// Largest deviation `cappedResidual(of:)` counts (model units: a hundredth of the part).
    static let residualCap: Float = 0.01

    /// Distance, in the first training scan's spacings, within which a point of another training
    /// scan overlaps it (`rigidlyAligned(_:)`).
    static let overlapSpacings: Float = 3
    /// Fewest overlapping points of a training scan that its fit onto the first uses alone.
    static let minimumOverlapPoints = 64

    /// Point-to-plane ICP onto the template: its points, normals and k-d tree.
    private let icp: PointToPlaneICP
    /// Point-to-plane ICP onto `coarseTargetPoints` of the template's points with their normals,
    /// for `coarseRefinement(of:from:)`.
    private let coarseICP: PointToPlaneICP
    /// The nodes and fall-off of the smooth warp fitted after the rigid fit; nil for a rigid template.
    private let warp: (nodes: [SIMD3<Float>], radius: Float)?
    /// For each template point, the fraction of the training scans that cover it (`CoverageGaps`),
    /// or nil when unknown (a template of one scan, or from an older model): surface that only some
    /// clean scans show, such as the rims of views from a jittered fixture, is not where a missing
    /// patch means a hole.
    public private(set) var support: [Float]?
    /// Whether each template point lies on the rim of the surface the training scans showed
    /// (`SurfaceBoundary`): where the views of a fixture end. A scan point nearest to one lies on
    /// surface no training scan showed, or at its edge, and its deviation is unknown. Nil when the
    /// training scans cover one another (complete scans): a sparse template of a complete part has
    /// rims along its thin edges (9% of a 1500-point bracket), and there the deviation is known.
    public private(set) var rim: [Bool]?
    /// Whether scans are fitted by a smooth warp after the rigid fit.
    public var isNonRigid: Bool { warp != nil }
    /// The template points (model frame).
    public var points: PointCloud { icp.target }
    /// Unit normals of the template points, `[N, 3]` flat (sign arbitrary).
    public var normals: [Float] { icp.normals }
    /// The unit normal of template point `index` (sign arbitrary).
    public func normal(at index: Int) -> SIMD3<Float> { icp.normal(of: index) }

    /// A template from its points (at least 3, finite), their normals and optionally the fraction
    /// of training scans covering each (`support`) and its rim (`rim`); `nonRigid` fits a smooth
    /// warp after the rigid fit.
    public init(points: PointCloud, normals: [Float], support: [Float]? = nil, rim: [Bool]? = nil, nonRigid: Bool = false) throws {
        precondition(normals.count == 3 * points.count, "a template needs one normal per point")
        precondition(support == nil || support!.count == points.count, "a template's support has one value per point")
        precondition(rim == nil || rim!.count == points.count, "a template's rim has one flag per point")
        try points.requireFiniteCoordinates(operation: "surface template")
        guard points.count >= 3 else { throw SamplingError.tooFewPoints(operation: "surface template", required: 3, available: points.count) }
        try self.init(icp: PointToPlaneICP(target: points, normals: normals, tree: try KDTree(points)), nonRigid: nonRigid)
        self.support = support
        self.rim = rim
    }

    /// The template of `scans` (model frame, in one pose): each moved exactly onto the first
    /// (with `nonRigid`, warped onto it too), up to `maximumPoints / scans.count` (rounded up)
    /// points of each pooled, normals estimated.
    public init(scans: [PointCloud], nonRigid: Bool = false) throws {
        let rigid = try Self.rigidlyAligned(scans)
        try self.init(alignedScans: nonRigid ? try Self.warpedOntoFirst(rigid) : rigid, nonRigid: nonRigid)
    }

    /// The template of scans already moved onto one another.
    private init(alignedScans scans: [PointCloud], nonRigid: Bool) throws {
        let share = (Self.maximumPoints + scans.count - 1) / max(scans.count, 1)
        let pooled = PointCloud(coordinates: try scans.flatMap { try Downsampling.fixedSubset($0, count: share).coordinates })
        try self.init(icp: try Self.icp(onto: pooled), nonRigid: nonRigid)
    }

    /// A template fitting scans by `icp`, with warp nodes spread over its target when `nonRigid`.
    private init(icp: PointToPlaneICP, nonRigid: Bool) throws {
        self.icp = icp
        coarseICP = try Self.subsampled(icp, count: Self.coarseTargetPoints)
        warp = nonRigid ? try Self.warpNodes(over: icp.target) : nil
    }

    /// Point-to-plane ICP onto `cloud` with normals estimated from its neighbourhoods.
    private static func icp(onto cloud: PointCloud) throws -> PointToPlaneICP {
        let tree = try KDTree(cloud)
        let normals = try NormalEstimation(neighborhood: .nearest(k: normalNeighbors)).estimate(cloud, tree: tree).normals
        return PointToPlaneICP(target: cloud, normals: normals, tree: tree)
    }

    /// ICP onto a fixed subset of `count` of `icp`'s target points with their normals (`icp`
    /// itself when it has no more).
    private static func subsampled(_ icp: PointToPlaneICP, count: Int) throws -> PointToPlaneICP {
        guard icp.target.count > count else { return icp }
        let indices = try Downsampling.fixedSubsetIndices(count: count, from: icp.target.count)
        let target = icp.target.selecting(indices)
        return PointToPlaneICP(target: target, normals: indices.flatMap { icp.normals[(3 * $0)..<(3 * $0 + 3)] }, tree: try KDTree(target))
    }

    /// `warpNodes` nodes spread over `target` by farthest point sampling, and the fall-off radius.
    private static func warpNodes(over target: PointCloud) throws -> (nodes: [SIMD3<Float>], radius: Float) {
        let nodes = try FarthestPointSampling.sample(target, count: min(warpNodes, target.count)).map { target[$0] }
        return (nodes, max(warpRadius * target.diagonal, .leastNormalMagnitude))
    }

    /// `scans` with every scan after the first moved exactly onto the first by an ICP of the points
    /// that lie within `overlapSpacings` of it (all of them when fewer than `minimumOverlapPoints`
    /// do): two views of a fixture overlap in part, and an ICP of every point slides one along the
    /// other (a bracket's views moved by up to 0.25 of the part's diagonal).
    private static func rigidlyAligned(_ scans: [PointCloud]) throws -> [PointCloud] {
        guard let first = scans.first else { throw SamplingError.tooFewPoints(operation: "surface template", required: 3, available: 0) }
        let onto = try RigidRegistration(reference: Downsampling.fixedSubset(first, count: maximumPoints))
        let reach = overlapSpacings * onto.spacing
        return try [first] + scans.dropFirst().map { scan in
            let overlapping = onto.overlapping(scan, within: reach)
            let fitted = overlapping.count >= minimumOverlapPoints ? scan.selecting(overlapping) : scan
            return try onto.refinement(of: fitted).apply(to: scan)
        }
    }

    /// Rigidly aligned `scans` with every scan after the first also warped onto the first.
    private static func warpedOntoFirst(_ scans: [PointCloud]) throws -> [PointCloud] {
        guard let first = scans.first else { return scans }
        let reference = try SurfaceTemplate(icp: try icp(onto: Downsampling.fixedSubset(first, count: maximumPoints)), nonRigid: true)
        return try [first] + scans.dropFirst().map { try reference.warped($0) }
    }

    /// The deviation of every point of `cloud` (model frame, about in the template's pose), in
    /// scan order: after the point-to-plane ICP, its distance to the nearest of the tangent planes
    /// of its `planeCandidates` nearest template points.
    public func deviations(of cloud: PointCloud) throws -> [Float] {
        deviations(ofMoved: try moved(cloud))
    }

    /// `cloud` (model frame, about in the template's pose) moved exactly onto the template by the
    /// point-to-plane ICP, stopping early once a step moves it less than `convergence` (0: every
    /// step), then (non-rigid template) warped onto it.
    public func moved(_ cloud: PointCloud, convergence: Float = 0) throws -> PointCloud {
        var icp = icp
        icp.convergence = convergence
        return try warped(icp.refinement(of: cloud).apply(to: cloud))
    }

    /// The motion taking `cloud` (model frame), once moved by `start`, about onto the template: a
    /// short point-to-plane ICP of `coarsePoints` of its points onto `coarseTargetPoints` of the
    /// template's, composed with `start`. It keeps every correspondence: from a rough start the
    /// farthest pairs are the ones that pull a view off a face it would otherwise slide along
    /// (trimming a tenth of them shrank the range it recovers from several-fold on bracket views).
    func coarseRefinement(of cloud: PointCloud, from start: RigidTransform) throws -> RigidTransform {
        var coarse = coarseICP
        coarse.points = Self.coarsePoints
        coarse.iterations = Self.coarseIterations
        coarse.inlierFraction = 1
        coarse.convergence = Self.coarseConvergence
        return start.followed(by: try coarse.refinement(of: start.apply(to: cloud)))
    }

    /// The mean over up to `residualPoints` points of `cloud` (model frame, where it lies; no ICP)
    /// of their deviations, each capped at `residualCap`: how well a pose fits, where a point that
    /// a defect moved, or that the template lacks (beyond its rim), costs no more than the cap.
    func cappedResidual(of cloud: PointCloud) throws -> Float {
        let deviations = measuredDeviations(ofMoved: try Downsampling.fixedSubset(cloud, count: Self.residualPoints))
        return deviations.reduce(0) { $0 + min($1 ?? Self.residualCap, Self.residualCap) } / Float(max(deviations.count, 1))
    }

    /// `cloud` (rigidly in place) warped onto the template; unchanged for a rigid template.
    private func warped(_ cloud: PointCloud) throws -> PointCloud {
        guard let warp else { return cloud }
        return try icp.warp(of: cloud, nodes: warp.nodes, radius: warp.radius).apply(to: cloud)
    }

    /// `deviations(of:)` of a cloud already `moved(_:)` onto the template; a point beyond the
    /// template's rim, whose deviation is unknown, scores 0 (a fixture's views: docs/single-views.md).
    public func deviations(ofMoved moved: PointCloud) -> [Float] {
        measuredDeviations(ofMoved: moved).map { $0 ?? 0 }
    }

    /// This template with its rim found (`SurfaceBoundary`).
    func withRim() -> SurfaceTemplate {
        var template = self
        template.rim = SurfaceBoundary().boundary(of: icp.target, normals: icp.normals, tree: icp.tree)
        return template
    }

    /// The deviation of every point of `moved` (`deviations(ofMoved:)`), nil where its nearest
    /// template point lies on the rim (`rim`).
    private func measuredDeviations(ofMoved moved: PointCloud) -> [Float?] {
        let nearest = icp.tree.nearest(k: Self.planeCandidates, to: moved)
        return (0..<moved.count).map { i in
            if let rim, rim[Int(nearest.indices[nearest.offsets[i]])] { return nil }
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
    /// only, as no second part shows how much clean parts differ (so it is never warped).
    /// `warp` says whether the template is non-rigid; `.auto` calibrates both and warps when that
    /// shrinks the clean deviations' standard deviation by more than `SurfaceWarpPolicy.shrinkage`.
    public static func calibrated(
        scans: [PointCloud], warp: SurfaceWarpPolicy = .never
    ) throws -> (template: SurfaceTemplate, statistics: ScoreStatistics, uncoveredFraction: Float) {
        let rigidScans = try rigidlyAligned(scans)
        guard scans.count > 1, warp != .never else { return try calibration(of: rigidScans, nonRigid: false) }
        let warped = try calibration(of: try warpedOntoFirst(rigidScans), nonRigid: true)
        guard warp == .auto else { return warped }
        let rigid = try calibration(of: rigidScans, nonRigid: false)
        let shrinkage = rigid.statistics.standardDeviation / max(warped.statistics.standardDeviation, .leastNormalMagnitude)
        return shrinkage > SurfaceWarpPolicy.shrinkage ? warped : rigid
    }

    /// `calibrated(scans:warp:)` of scans already moved onto the first, for a rigid or a non-rigid template.
    private static func calibration(
        of aligned: [PointCloud], nonRigid: Bool
    ) throws -> (template: SurfaceTemplate, statistics: ScoreStatistics, uncoveredFraction: Float) {
        let heldOut = aligned.count == 1 ? [halves(of: aligned[0])] : aligned.indices.prefix(calibrationScans).map { i in
            (template: aligned.indices.filter { $0 != i }.map { aligned[$0] }, scan: aligned[i])
        }
        let measured = try heldOut.map { others, scan in
            let template = try SurfaceTemplate(alignedScans: others, nonRigid: nonRigid)
            return (template: template, moved: try template.moved(Downsampling.fixedSubset(scan, count: calibrationPoints)))
        }
        func uncoveredFraction(_ statistics: ScoreStatistics) throws -> Float {
            try measured.reduce(Float(0)) { sum, pair in
                sum + (try CoverageGaps.uncoveredFraction(by: pair.moved, template: pair.template, noiseBand: CoverageGaps.noiseBand(of: statistics)))
            } / Float(measured.count)
        }
        var statistics = ScoreStatistics(of: measured.flatMap { $0.template.deviations(ofMoved: $0.moved) })
        var uncovered = try uncoveredFraction(statistics)
        var template = try SurfaceTemplate(alignedScans: aligned, nonRigid: nonRigid)
        if aligned.count > 1, uncovered > CoverageGaps.largestCleanUncoveredFraction {
            // Clean scans leave each other gaps (a fixture's views): the template has a rim, and a
            // held-out scan's points beyond the others' rim are unknown, not deviations.
            statistics = ScoreStatistics(of: measured.flatMap { $0.template.withRim().measuredDeviations(ofMoved: $0.moved).compactMap { $0 } })
            uncovered = try uncoveredFraction(statistics)
            template = template.withRim()
        }
        if aligned.count > 1 {
            template.support = try Self.support(of: template, by: aligned, noiseBand: CoverageGaps.noiseBand(of: statistics))
        }
        return (template, statistics, uncovered)
    }

    /// For each point of `template`, the fraction of `scans` (moved onto it) that cover it.
    private static func support(of template: SurfaceTemplate, by scans: [PointCloud], noiseBand: Float) throws -> [Float] {
        var covering = [Int](repeating: scans.count, count: template.points.count)
        for scan in scans {
            for t in try CoverageGaps.coverage(by: scan, template: template, noiseBand: noiseBand).uncovered { covering[t] -= 1 }
        }
        return covering.map { Float($0) / Float(scans.count) }
    }

    /// The points of `scan` at even positions (as a template) and at odd positions (held out).
    private static func halves(of scan: PointCloud) -> (template: [PointCloud], scan: PointCloud) {
        ([scan.selecting(Array(stride(from: 0, to: scan.count, by: 2)))], scan.selecting(Array(stride(from: 1, to: scan.count, by: 2))))
    }
}
