import AD3DPointCloud
import AD3DTensor

/// The cells of a regular grid that lie within a reach of a cloud's points: a constant-time test
/// of whether a moved point lands on the cloud.
struct OccupancyGrid: Sendable {
    /// Lowest corner of the grid.
    let origin: SIMD3<Float>
    /// Cell edge.
    let cell: Float
    /// Cells along each axis.
    let size: SIMD3<Int>
    /// One flag per cell, x fastest.
    let occupied: [Bool]

    /// Most cells along an axis: a cell is widened to keep within it, so that memory stays bounded
    /// whatever the points (a cloud whose extent underflows to a zero diagonal would otherwise ask
    /// for cells of the smallest float). Templates in practice use about 60.
    static let maximumCellsPerAxis: Float = 256

    /// The grid over `points` with cells of edge `cell` (or wider, see `maximumCellsPerAxis`),
    /// marking every cell whose centre lies within `reach` (plus half a cell diagonal) of a point.
    init(points: PointCloud, cell requestedCell: Float, reach: Float) {
        let box = points.boundingBox ?? (.zero, .zero)
        let cell = max(requestedCell, (box.max - box.min + 2 * reach).max() / (Self.maximumCellsPerAxis - 4))
        let margin = reach + cell
        origin = box.min - margin
        self.cell = cell
        let extent = (box.max + margin - origin) / cell
        size = SIMD3(Int(extent.x.rounded(.up)) + 1, Int(extent.y.rounded(.up)) + 1, Int(extent.z.rounded(.up)) + 1)
        var occupied = [Bool](repeating: false, count: size.x * size.y * size.z)
        let steps = Int((reach / cell).rounded(.up))
        let limit = (reach + 0.5 * cell * Float(3).squareRoot())
        for i in 0..<points.count {
            let p = points[i]
            let home = SIMD3<Int>(((p - origin) / cell).rounded(.down))
            for dz in -steps...steps {
                for dy in -steps...steps {
                    for dx in -steps...steps {
                        let c = home &+ SIMD3(dx, dy, dz)
                        guard c.x >= 0, c.y >= 0, c.z >= 0, c.x < size.x, c.y < size.y, c.z < size.z else { continue }
                        let centre = origin + (SIMD3<Float>(c) + 0.5) * cell - p
                        if (centre * centre).sum() <= limit * limit { occupied[c.x + size.x * (c.y + size.y * c.z)] = true }
                    }
                }
            }
        }
        self.occupied = occupied
    }

    /// Whether `point` falls in a marked cell.
    func contains(_ point: SIMD3<Float>) -> Bool {
        let c = (point - origin) / cell
        guard c.x >= 0, c.y >= 0, c.z >= 0 else { return false }
        let x = Int(c.x), y = Int(c.y), z = Int(c.z)
        guard x < size.x, y < size.y, z < size.z else { return false }
        return occupied[x + size.x * (y + size.y * z)]
    }

    /// How many points of `cloud`, moved by `transform`, fall in marked cells.
    func inliers(of cloud: PointCloud, moved transform: RigidTransform) -> Int {
        var count = 0
        for i in 0..<cloud.count where contains(transform.apply(cloud[i])) { count += 1 }
        return count
    }
}
