import AD3DPointCloud
import AD3DSupport

/// How well a category's scans lie on top of each other in the model frame — whether comparing
/// patch positions (the position-aware memory) makes sense for them.
public enum ScanAlignment {
    /// Median gap (fraction of the category's diagonal) above which a category's scans are taken
    /// not to share one pose. On the seven built-in parts, aligned or ≤ 3° tilted scans measured
    /// 0.003–0.008 (8k–100k points) and 0.011–0.015 (2k points); randomly rotated ones 0.054–0.10.
    public static let samePoseGap: Float = 0.03

    /// Largest ratio of the gap in raw coordinates to the gap after centring at which scans are
    /// taken to sit in a fixture. Built-in parts, 4 training scans each (`ad3d synth`, seeds 1
    /// and 2): complete aligned scans 0.85–0.98, single views from one direction ±10° 0.07–0.79
    /// (the symmetric flange, gear and spool 0.73–0.79, whose centroids barely move).
    public static let fixtureGapRatio: Float = 0.7

    /// The frame in which `scans` lie best on top of each other: `.none` when their coordinates
    /// already agree much more closely than their centred copies (`fixtureGapRatio`) — parts in a
    /// fixture seen from one side, where each view's centroid moves with what it shows — else
    /// `.centroid`. Deterministic for `seed`.
    public static func preferredFrame(of scans: [PointCloud], seed: UInt64) throws -> FrameMode {
        guard let centred = try gap(of: scans, mode: .centroid, seed: seed), let raw = try gap(of: scans, mode: .none, seed: seed),
              raw < fixtureGapRatio * centred
        else { return .centroid }
        return .none
    }

    /// The median, over consecutive pairs of `scans` (each to the next, the last to the first), of
    /// the median distance from a random sample of one scan's points to the nearest point of the
    /// other, in units of the category's mean diagonal after framing with `mode`. Scans of one part
    /// in one pose measure about their sampling spacing; rotated copies measure much more.
    /// `nil` for fewer than two scans. Deterministic for `seed`.
    public static func gap(of scans: [PointCloud], mode: FrameMode, samplePoints: Int = 2048, seed: UInt64) throws -> Float? {
        guard scans.count >= 2 else { return nil }
        let frame = ScanFrame(mode: mode, scale: ScanFrame.categoryScale(of: scans))
        let framed = scans.map(frame.normalise)
        var generator = SeededGenerator(seed: seed)
        var pairGaps = [Float]()
        for (index, scan) in framed.enumerated() {
            let other = framed[(index + 1) % framed.count]
            let sample = try Downsampling.random(scan, count: min(samplePoints, scan.count), using: &generator)
            let nearest = try KDTree(other).nearest(k: 1, to: sample)
            pairGaps.append(median(nearest.squaredDistances).squareRoot())
            if framed.count == 2 { break }
        }
        return median(pairGaps)
    }

    /// The median of non-empty `values` (the upper one of an even count).
    private static func median(_ values: [Float]) -> Float {
        values.sorted()[values.count / 2]
    }
}
