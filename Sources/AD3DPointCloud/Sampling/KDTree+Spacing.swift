extension KDTree {
    /// The sampling spacing of the tree's cloud: the median distance from each of `points` (points
    /// of that cloud) to its nearest other point; 0 for no points.
    public func medianSpacing(at points: PointCloud) -> Float {
        guard points.count > 0 else { return 0 }
        let neighbours = nearest(k: 2, to: points)
        let nearestOthers = (0..<points.count).map { neighbours.neighbors(of: $0).squaredDistances.last ?? 0 }.sorted()
        return nearestOthers[nearestOthers.count / 2].squareRoot()
    }
}
