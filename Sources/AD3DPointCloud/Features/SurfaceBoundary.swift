import Foundation

/// Which points of a sampled surface lie on its boundary — the rim of a partial surface, where
/// the sampled part of the surface ends — by the angle criterion: a point's nearest neighbours,
/// projected onto its tangent plane, surround an interior point on all sides, and leave a wide
/// empty sector beside a boundary point. A closed surface has almost no boundary points (on the
/// templates of complete scans 0.1–0.5% at the default settings), the union of a few views of a
/// part has a long rim (3–6%).
public struct SurfaceBoundary: Sendable, Equatable {
    /// Neighbours (the point excluded) whose directions are compared.
    public var neighbors: Int
    /// Widest empty sector, in radians, that an interior point may have around it.
    public var largestGap: Float

    /// An estimator comparing `neighbors` neighbours; wider empty sectors than `largestGap` mark a boundary.
    public init(neighbors: Int = 30, largestGap: Float = 2 * .pi / 3) {
        precondition(neighbors >= 2, "a boundary needs at least two neighbours to compare")
        self.neighbors = neighbors
        self.largestGap = largestGap
    }

    /// Whether each point of `cloud` lies on the boundary, given unit `normals` (`[N, 3]` flat,
    /// sign arbitrary) and a k-d tree built over `cloud`.
    public func boundary(of cloud: PointCloud, normals: [Float], tree: KDTree) -> [Bool] {
        precondition(normals.count == 3 * cloud.count && tree.count == cloud.count, "one normal per point and a tree over the cloud")
        let table = tree.nearest(k: neighbors + 1, to: cloud)
        return (0..<cloud.count).map { i in
            let normal = SIMD3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2])
            let (u, v) = SensorFrame.perpendicularBasis(of: normal)
            var angles = [Float]()
            angles.reserveCapacity(neighbors)
            for slot in table.offsets[i]..<table.offsets[i + 1] where Int(table.indices[slot]) != i {
                let offset = cloud[Int(table.indices[slot])] - cloud[i]
                let x = (offset * u).sum(), y = (offset * v).sum()
                if x != 0 || y != 0 { angles.append(atan2f(y, x)) }
            }
            guard angles.count >= 2 else { return true }
            angles.sort()
            var widest = angles[0] + 2 * .pi - angles[angles.count - 1]
            for j in 1..<angles.count { widest = max(widest, angles[j] - angles[j - 1]) }
            return widest > largestGap
        }
    }
}
