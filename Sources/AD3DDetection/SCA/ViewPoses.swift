import AD3DPointCloud
import AD3DTensor

/// The poses of a scan on a template that fit it equally well. Each candidate motion is refined
/// by a short point-to-plane ICP and judged by its capped residual; the best few distinct ones
/// are refined in full, and every one whose residual stays within `tolerance` of the best is kept.
/// A symmetric part (a gear, a rotor, a spool) fits several poses equally, and nothing in the scan
/// can tell them apart, so the detector scores a point by the least it deviates over all of them:
/// that removes the false alarms of a wrong but equally good pose and never hides a defect, which
/// deviates in every pose.
enum ViewPoses {
    /// Distinct candidates refined in full after the short ICP (`distinctStarts(_:scan:)`).
    static let refined = 4
    /// Relative slack over the best residual within which a pose counts as fitting equally well.
    static let tolerance: Float = 0.25
    /// Most poses kept.
    static let limit = 4
    /// The full ICP of a kept pose stops once a step moves the scan less than this (model units
    /// plus radians): a hundred-thousandth of the part, far below scanner noise (scores of the
    /// single-view sets unchanged to three decimals, a quarter less time).
    static let convergence: Float = 1e-5

    /// One kept pose: the scan moved exactly onto the template, and its capped residual.
    struct Pose {
        /// The scan, moved onto the template by this pose (point order unchanged).
        let moved: PointCloud
        /// The capped residual of the moved scan (`SurfaceTemplate.cappedResidual(of:)`).
        let residual: Float
    }

    /// How many times the clean deviations' mean the best pose's residual must exceed for the view
    /// to be searched again: a small view (a sixth of a flange) can fit none of the first few
    /// candidates, and a wrong pose fits 2.5-10 times worse than the clean noise.
    static let widerSearchResidual: Float = 2

    /// The equally good poses of `scan` (model frame) on `template`, best first, from
    /// `candidates` (best first): placed from no move and the first `ViewRegistration.candidates`
    /// candidates and, when the best of those fits worse than `widerSearchResidual` times
    /// `cleanResidual` (the clean deviations' mean), from the rest too.
    static func fit(_ scan: PointCloud, template: SurfaceTemplate, candidates: [RigidTransform], cleanResidual: Float) throws -> [Pose] {
        let first = try placements(of: scan, template: template, candidates: [.identity] + candidates.prefix(ViewRegistration.candidates))
        let rest = candidates.dropFirst(ViewRegistration.candidates)
        guard let best = first.map(\.residual).min(), best > widerSearchResidual * cleanResidual, !rest.isEmpty else {
            return equallyGood(first)
        }
        return equallyGood(first + (try placements(of: scan, template: template, candidates: Array(rest))))
    }

    /// `scan` placed from `candidates` (at least one): each refined by the short ICP, and the
    /// best `refined` distinct ones restarted from nudges and refined in full.
    static func placements(of scan: PointCloud, template: SurfaceTemplate, candidates: [RigidTransform]) throws -> [Pose] {
        precondition(!candidates.isEmpty, "fitting poses needs a candidate motion")
        let coarse = try inParallel(candidates.count) { i in
            let transform = try template.coarseRefinement(of: scan, from: candidates[i])
            return (transform: transform, residual: try template.cappedResidual(of: transform.apply(to: scan)))
        }.sorted { $0.residual < $1.residual }
        let starts = try distinctStarts(coarse, scan: scan).map { try nudged($0, scan: scan, template: template) }
        return try inParallel(starts.count) { i in
            let moved = try template.moved(starts[i].transform.apply(to: scan), convergence: convergence)
            return Pose(moved: moved, residual: try template.cappedResidual(of: moved))
        }
    }

    /// The distinct ones of `placed` (at least one) whose residual is within `tolerance` of the
    /// best, at most `limit`, best first.
    static func equallyGood(_ placed: [Pose]) -> [Pose] {
        var poses = [Pose]()
        for pose in placed.sorted(by: { $0.residual < $1.residual }) where !poses.contains(where: { samePlace($0.moved, pose.moved) }) {
            poses.append(pose)
        }
        let best = poses[0].residual
        return Array(poses.filter { $0.residual <= best * (1 + tolerance) }.prefix(limit))
    }

    /// Mean distance (model units) within which two short fits of a scan count as one start: the
    /// short ICP brings several candidates to one place, and refining copies of one pose wastes
    /// the full refinement (a bracket view whose four best short fits were one wrong pose; a
    /// start 8° off the right one came fifth, and once refined it fitted best).
    static let distinctStartDistance: Float = 0.02

    /// The best `refined` of `coarse` (best first) that put `scan` in distinct places.
    static func distinctStarts(
        _ coarse: [(transform: RigidTransform, residual: Float)], scan: PointCloud
    ) throws -> [(transform: RigidTransform, residual: Float)] {
        let probe = try Downsampling.fixedSubset(scan, count: comparedPoints)
        var starts = [(transform: RigidTransform, residual: Float, placed: PointCloud)]()
        for fit in coarse where starts.count < refined {
            let placed = fit.transform.apply(to: probe)
            if !starts.contains(where: { meanDistance($0.placed, placed) < distinctStartDistance }) {
                starts.append((fit.transform, fit.residual, placed))
            }
        }
        return starts.map { ($0.transform, $0.residual) }
    }

    /// Shifts (model units, along each axis, both ways) from which `nudged(_:scan:template:)` restarts the short ICP.
    static let nudges: [Float] = [0.03, 0.06]

    /// `pose` or, when better, the best fit of the short ICP restarted from it shifted by each of
    /// `nudges` along each axis: point-to-plane ICP slides a view along a face and can stop on the
    /// wrong one of several parallel faces (a flange's disc, hub and bolt heads), a few hundredths
    /// of the part from where it belongs.
    static func nudged(
        _ pose: (transform: RigidTransform, residual: Float), scan: PointCloud, template: SurfaceTemplate
    ) throws -> (transform: RigidTransform, residual: Float) {
        let shifts = nudges.flatMap { size in
            (0..<3).flatMap { axis in
                [Float(1), -1].map { sign in
                    var shift = SIMD3<Float>.zero
                    shift[axis] = sign * size
                    return shift
                }
            }
        }
        let restarts = try inParallel(shifts.count) { i in
            let start = pose.transform.followed(by: RigidTransform(rotation: RigidTransform.identity.rotation, translation: shifts[i]))
            let transform = try template.coarseRefinement(of: scan, from: start)
            return (transform: transform, residual: try template.cappedResidual(of: transform.apply(to: scan)))
        }
        var best = pose
        for restart in restarts where restart.residual < best.residual { best = restart }
        return best
    }

    /// `body(i)` for every `i` in `0..<count`, on the machine's cores, in index order.
    private static func inParallel<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        try ParallelMap.map(count: count, minimumChunk: 1) { range in
            Result { try range.map(body) }
        }.flatMap { try $0.get() }
    }

    /// Points compared by `samePlace(_:_:)`.
    static let comparedPoints = 64
    /// Mean distance (model units) below which two placements of a scan are one pose.
    static let samePlaceDistance: Float = 0.005

    /// Whether two placements of one scan put its points in about the same places.
    static func samePlace(_ first: PointCloud, _ second: PointCloud) -> Bool {
        meanDistance(first, second) < samePlaceDistance
    }

    /// The mean distance between the points of two placements of one scan, over about
    /// `comparedPoints` of them evenly spread in scan order.
    static func meanDistance(_ first: PointCloud, _ second: PointCloud) -> Float {
        let step = max(1, first.count / comparedPoints)
        var total: Float = 0, count: Float = 0
        for i in stride(from: 0, to: first.count, by: step) {
            let d = first[i] - second[i]
            total += (d * d).sum().squareRoot()
            count += 1
        }
        return total / max(count, 1)
    }
}
