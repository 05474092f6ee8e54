import AD3DPointCloud
import AD3DSupport
import Foundation

/// A connected piece of a scan whose points all score at or above a threshold: where a defect is.
public struct DefectRegion: Sendable, Equatable {
    /// Indices of the region's points in the scan, increasing.
    public var pointIndices: [Int]
    /// The mean of the region's points.
    public var centroid: SIMD3<Float>
    /// The smallest corner of the region's axis-aligned bounding box.
    public var lowerBound: SIMD3<Float>
    /// The largest corner of the region's axis-aligned bounding box.
    public var upperBound: SIMD3<Float>
    /// The highest score in the region.
    public var peakScore: Float
    /// The point with the highest score (the lowest index on ties).
    public var peakPoint: SIMD3<Float>

    /// The region of `cloud` made of `pointIndices` (non-empty, increasing), scored by `scores`.
    init(pointIndices: [Int], cloud: PointCloud, scores: [Float]) {
        precondition(!pointIndices.isEmpty, "a region has at least one point")
        self.pointIndices = pointIndices
        var sum = SIMD3<Double>(), lower = cloud[pointIndices[0]], upper = lower, peak = pointIndices[0]
        for index in pointIndices {
            let point = cloud[index]
            sum += SIMD3<Double>(point)
            lower = pointwiseMin(lower, point)
            upper = pointwiseMax(upper, point)
            if scores[index] > scores[peak] { peak = index }
        }
        centroid = SIMD3<Float>(sum / Double(pointIndices.count))
        (lowerBound, upperBound) = (lower, upper)
        (peakScore, peakPoint) = (scores[peak], cloud[peak])
    }

    /// The regions of `cloud` scored by `scores` (one per point): the points scoring at least
    /// `threshold`, split into groups linked by steps of at most `linkDistance` (default: 5 × the
    /// scan's median nearest-neighbour distance — about 17 neighbours of a randomly sampled surface,
    /// so a defect's points stay one region; at 2.5 a sink's labelled points fell into 43 pieces),
    /// groups of fewer than `minimumPoints` dropped, sorted by peak score, highest first.
    public static func find(
        in cloud: PointCloud, scores: [Float], threshold: Float, minimumPoints: Int = 1, linkDistance: Float? = nil
    ) throws -> [DefectRegion] {
        precondition(scores.count == cloud.count, "one score per point")
        precondition(minimumPoints >= 1, "a region needs at least one point")
        let hot = scores.indices.filter { scores[$0] >= threshold }
        guard !hot.isEmpty else { return [] }
        let link = try linkDistance ?? defaultLinkDistance(of: cloud)
        let hotCloud = cloud.selecting(hot)
        let neighbours = try KDTree(hotCloud).neighbors(within: link, of: hotCloud)
        var components = UnionFind(count: hot.count)
        for member in hot.indices {
            for other in neighbours.neighbors(of: member).indices { components.join(member, other) }
        }
        var members: [Int: [Int]] = [:]
        for member in hot.indices { members[components.root(of: member), default: []].append(hot[member]) }
        return members.values.filter { $0.count >= minimumPoints }
            .map { DefectRegion(pointIndices: $0, cloud: cloud, scores: scores) }
            .sorted { ($0.peakScore, $1.pointIndices[0]) > ($1.peakScore, $0.pointIndices[0]) }
    }

    /// 5 × the median distance from a point to its nearest other point, over a fixed subset of at
    /// most 2048 points of `cloud` (0 for a single point).
    static func defaultLinkDistance(of cloud: PointCloud) throws -> Float {
        guard cloud.count > 1 else { return 0 }
        return 5 * (try KDTree(cloud)).medianSpacing(at: try Downsampling.fixedSubset(cloud, count: 2048))
    }
}
