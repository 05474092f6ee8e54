import AD3DModels
import AD3DPointCloud
import AD3DSupport

/// Surface the part should have but a scan lacks. A template point is covered by a scan point
/// within `uncoveredSpacings` of the scan's point spacing that lies on the template point's
/// tangent plane, or whose own tangent plane passes through the template point (near an edge the
/// template's normal leans between the faces) — on a plane meaning within the larger of
/// `offPlaneSpacings` spacings and the clean scans' noise band — and uncovered without one: a
/// hole, or surface that a bulge, sink or bend carried away. (Distance alone would let the other
/// side of a wall thinner than the reach cover a hole in this side.) A non-rigid template, whose
/// warp leaves clean scans only roughly on its planes, is covered by distance alone. Each scan point scores `reachSpacings` minus its
/// distance to the nearest uncovered template point (in spacings), never below zero, so points on
/// a hole's rim or around a displaced region score high and clean scans, which cover the whole
/// template, score zero everywhere. A scan that leaves more than `largestUncoveredFraction` of the
/// template uncovered is not a part with a gap but a single view or a misfit: it scores zero.
/// Gaps are scored only where clean training scans cover each other (`largestCleanUncoveredFraction`).
public enum CoverageGaps {
    /// Distance from every scan point, in scan spacings, beyond which a template point is uncovered.
    public static let uncoveredSpacings: Float = 4
    /// Least distance off a template point's tangent plane, in scan spacings, at which a scan point
    /// still covers it.
    public static let offPlaneSpacings: Float = 1
    /// How far, in scan spacings, an uncovered template point raises the scores around it.
    public static let reachSpacings: Float = 16
    /// Most of the template a scan may leave uncovered and still be scored for gaps.
    public static let largestUncoveredFraction: Float = 0.25
    /// Standard deviations above their mean that clean deviations may reach: with the mean, the
    /// noise band of `noiseBand(of:)`.
    public static let noiseBandDeviations: Float = 6
    /// Neighbours (the point included) whose covariance gives a scan point's normal.
    static let scanNormalNeighbors = 12
    /// Scan points sampled to measure the scan's spacing.
    static let spacingSamples = 2048

    /// Most of the template that held-out clean training scans may leave uncovered, on average,
    /// for gaps to be scored at all: where clean scans leave gaps too (single views, occlusions),
    /// a gap says nothing about a defect.
    public static let largestCleanUncoveredFraction: Float = 0.001

    /// How far off the clean surface clean scan points lie, from the `statistics` of clean
    /// deviations: their mean plus `noiseBandDeviations` standard deviations (model units). Equal
    /// deviations have a standard deviation of 1 by convention, which covers every point within reach.
    public static func noiseBand(of statistics: ScoreStatistics) -> Float {
        statistics.mean + noiseBandDeviations * statistics.standardDeviation
    }

    /// Which template points a scan (moved exactly onto the template) leaves uncovered.
    public struct Coverage: Sendable {
        /// Indices of the uncovered template points.
        public let uncovered: [Int]
        /// The scan's median point spacing (0 for fewer than two distinct points).
        public let spacing: Float
        /// Template points in all.
        public let templateCount: Int

        /// The fraction of the template left uncovered.
        public var uncoveredFraction: Float { Float(uncovered.count) / Float(max(templateCount, 1)) }

        /// Whether the scan leaves too much uncovered to be a complete part with a gap: a single
        /// view, or a scan that does not fit where it lies.
        public var isView: Bool { uncoveredFraction > largestUncoveredFraction }

        /// The gap score of every point of `scan` (the one measured), in scan order; zero
        /// everywhere when nothing or too much is uncovered.
        public func gapScores(of scan: PointCloud, template: SurfaceTemplate) throws -> [Float] {
            guard !uncovered.isEmpty, !isView else { return [Float](repeating: 0, count: scan.count) }
            let nearestGap = try KDTree(template.points.selecting(uncovered)).nearest(k: 1, to: scan)
            return nearestGap.squaredDistances.map { max(0, reachSpacings - $0.squareRoot() / spacing) }
        }
    }

    /// The gap score of every point of `scan` (moved exactly onto `template`), in scan order;
    /// `noiseBand` is how far off the clean surface clean scan points lie (model units).
    public static func scores(of scan: PointCloud, template: SurfaceTemplate, noiseBand: Float) throws -> [Float] {
        try coverage(by: scan, template: template, noiseBand: noiseBand).gapScores(of: scan, template: template)
    }

    /// The fraction of `template` that `scan` (moved exactly onto it) leaves uncovered.
    public static func uncoveredFraction(by scan: PointCloud, template: SurfaceTemplate, noiseBand: Float) throws -> Float {
        try coverage(by: scan, template: template, noiseBand: noiseBand).uncoveredFraction
    }

    /// What `scan` (moved exactly onto `template`) leaves uncovered of it.
    public static func coverage(by scan: PointCloud, template: SurfaceTemplate, noiseBand: Float) throws -> Coverage {
        let (indices, spacing) = try uncovered(by: scan, template: template, noiseBand: noiseBand)
        return Coverage(uncovered: indices, spacing: spacing, templateCount: template.points.count)
    }

    /// The indices of the template points that no scan point covers, and `scan`'s spacing; none
    /// for a scan of fewer than two distinct points.
    private static func uncovered(
        by scan: PointCloud, template: SurfaceTemplate, noiseBand: Float
    ) throws -> (indices: [Int], spacing: Float) {
        guard scan.count >= 2 else { return ([], 0) }
        let scanTree = try KDTree(scan)
        let spacing = scanTree.medianSpacing(at: try Downsampling.fixedSubset(scan, count: spacingSamples))
        guard spacing > 0 else { return ([], 0) }
        let points = template.points
        // A warped template fits clean scans only roughly off its planes: distance alone decides there.
        let band = template.isNonRigid ? Float.infinity : max(offPlaneSpacings * spacing, noiseBand)
        let near = scanTree.neighbors(within: uncoveredSpacings * spacing, of: points)
        /// Whether a scan point near template point `t` lies within the band of the plane through
        /// the scan point or `t` (whichever `normal(slot)` gives).
        func covered(_ t: Int, normal: (Int) -> SIMD3<Float>) -> Bool {
            (near.offsets[t]..<near.offsets[t + 1]).contains { slot in
                abs(((scan[Int(near.indices[slot])] - points[t]) * normal(slot)).sum()) <= band
            }
        }
        let offTemplatePlanes = (0..<points.count).filter { t in
            !covered(t) { _ in template.normal(at: t) }
        }
        guard !offTemplatePlanes.isEmpty else { return ([], spacing) }
        let scanNormals = try NormalEstimation(neighborhood: .nearest(k: scanNormalNeighbors)).estimate(scan, tree: scanTree)
        return (offTemplatePlanes.filter { t in !covered(t) { scanNormals.normal(at: Int(near.indices[$0])) } }, spacing)
    }
}
