/// Surface the part should have but a scan lacks. A template point farther than
/// `uncoveredSpacings` of the scan's point spacing from every scan point is uncovered: a hole, or
/// surface that a bulge, sink or bend carried away. Each scan point scores `reachSpacings` minus its
/// distance to the nearest uncovered template point (in spacings), never below zero, so points on
/// a hole's rim or around a displaced region score high and clean scans, which cover the whole
/// template, score zero everywhere. A scan that leaves more than `largestUncoveredFraction` of the
/// template uncovered is not a part with a gap but a single view or a misfit: it scores zero.
/// Gaps are scored only where clean training scans cover each other (`largestCleanUncoveredFraction`).
public enum CoverageGaps {
    /// Distance from every scan point, in scan spacings, beyond which a template point is uncovered.
    public static let uncoveredSpacings: Float = 4
    /// How far, in scan spacings, an uncovered template point raises the scores around it.
    public static let reachSpacings: Float = 16
    /// Most of the template a scan may leave uncovered and still be scored for gaps.
    public static let largestUncoveredFraction: Float = 0.25
    /// Scan points sampled to measure the scan's spacing.
    static let spacingSamples = 2048

    /// Most of the template that held-out clean training scans may leave uncovered, on average,
    /// for gaps to be scored at all: where clean scans leave gaps too (single views, occlusions),
    /// a gap says nothing about a defect.
    public static let largestCleanUncoveredFraction: Float = 0.001

    /// The gap score of every point of `scan` (moved exactly onto `template`), in scan order.
    public static func scores(of scan: PointCloud, template: PointCloud) throws -> [Float] {
        let zeros = [Float](repeating: 0, count: scan.count)
        let (uncovered, spacing) = try self.uncovered(by: scan, template: template)
        guard !uncovered.isEmpty, Float(uncovered.count) <= largestUncoveredFraction * Float(template.count) else { return zeros }
        let nearestGap = try KDTree(template.selecting(uncovered)).nearest(k: 1, to: scan)
        return nearestGap.squaredDistances.map { max(0, reachSpacings - $0.squareRoot() / spacing) }
    }

    /// The fraction of `template` that `scan` (moved exactly onto it) leaves uncovered.
    public static func uncoveredFraction(by scan: PointCloud, template: PointCloud) throws -> Float {
        Float(try uncovered(by: scan, template: template).indices.count) / Float(max(template.count, 1))
    }

    /// The indices of the template points farther than `uncoveredSpacings` of `scan`'s spacing from
    /// every scan point, and that spacing; none for a scan of fewer than two distinct points.
    private static func uncovered(by scan: PointCloud, template: PointCloud) throws -> (indices: [Int], spacing: Float) {
        guard scan.count >= 2 else { return ([], 0) }
        let scanTree = try KDTree(scan)
        let spacing = scanTree.medianSpacing(at: try Downsampling.fixedSubset(scan, count: spacingSamples))
        guard spacing > 0 else { return ([], 0) }
        let nearestScanPoint = scanTree.nearest(k: 1, to: template)
        let threshold = uncoveredSpacings * spacing
        return ((0..<template.count).filter { nearestScanPoint.squaredDistances[$0] > threshold * threshold }, spacing)
    }
}
