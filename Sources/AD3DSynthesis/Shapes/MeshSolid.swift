import AD3DPointCloud
import Foundation

/// Point-in-solid test for a closed triangle mesh: the parity of the triangles crossed by a
/// vertical ray going up from the point. Triangles are bucketed by their xy footprint in a grid
/// so that a query only looks at the triangles above its cell.
struct MeshSolid: Sendable {
    private let triangles: [(SIMD3<Float>, SIMD3<Float>, SIMD3<Float>)]
    private let cellStart: [Int32], cellTriangles: [Int32]
    private let minimum: SIMD3<Float>, maximum: SIMD3<Float>
    private let cells: Int, cellSize: SIMD2<Float>

    /// The test for `mesh` (indices must be valid).
    init(mesh: TriangleMesh) {
        let box = PointCloud(points: mesh.vertices).boundingBox ?? (.zero, .zero)
        minimum = box.min
        maximum = box.max
        let cells = max(1, min(64, Int(Double(mesh.triangles.count).squareRoot() / 2)))
        self.cells = cells
        cellSize = pointwiseMax(SIMD2(box.max.x - box.min.x, box.max.y - box.min.y) / Float(cells), SIMD2(repeating: 1e-6))
        // Vertical triangles are never crossed by a vertical ray.
        triangles = mesh.triangles.map { t in
            (mesh.vertices[Int(t.x)], mesh.vertices[Int(t.y)], mesh.vertices[Int(t.z)])
        }.filter { a, b, c in (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x) != 0 }
        var buckets = [[Int32]](repeating: [], count: cells * cells)
        for (index, (a, b, c)) in triangles.enumerated() {
            let low = pointwiseMin(pointwiseMin(a, b), c), high = pointwiseMax(pointwiseMax(a, b), c)
            let (x0, y0) = Self.cell(of: low, minimum: box.min, size: cellSize, cells: cells)
            let (x1, y1) = Self.cell(of: high, minimum: box.min, size: cellSize, cells: cells)
            for y in y0...y1 { for x in x0...x1 { buckets[y * cells + x].append(Int32(index)) } }
        }
        var start: [Int32] = [0]
        for bucket in buckets { start.append(start[start.count - 1] + Int32(bucket.count)) }
        cellStart = start
        cellTriangles = buckets.flatMap { $0 }
    }

    /// Whether `p` is inside the mesh.
    func contains(_ p: SIMD3<Float>) -> Bool {
        guard p.x >= minimum.x, p.y >= minimum.y, p.z >= minimum.z, p.x <= maximum.x, p.y <= maximum.y, p.z <= maximum.z
        else { return false }
        let (x, y) = Self.cell(of: p, minimum: minimum, size: cellSize, cells: cells)
        let q = SIMD2(p.x, p.y)
        var inside = false
        for slot in Int(cellStart[y * cells + x])..<Int(cellStart[y * cells + x + 1]) {
            let (a, b, c) = triangles[Int(cellTriangles[slot])]
            let sa = Self.side(SIMD2(a.x, a.y), SIMD2(b.x, b.y), q), sb = Self.side(SIMD2(b.x, b.y), SIMD2(c.x, c.y), q)
            guard sa == sb, sb == Self.side(SIMD2(c.x, c.y), SIMD2(a.x, a.y), q) else { continue }
            // Height of the triangle's plane above q.
            let n = SynthesisGeometry.cross(b - a, c - a)
            let z = a.z - (n.x * (p.x - a.x) + n.y * (p.y - a.y)) / n.z
            if z > p.z { inside.toggle() }
        }
        return inside
    }

    /// Which side of edge `u → v` the point `q` is on, computed from the edge's endpoints in a
    /// fixed order so that the two triangles sharing an edge agree exactly; a point on the edge
    /// belongs to exactly one of them.
    private static func side(_ u: SIMD2<Float>, _ v: SIMD2<Float>, _ q: SIMD2<Float>) -> Bool {
        let forward = u.x < v.x || (u.x == v.x && u.y < v.y)
        let (lo, hi) = forward ? (u, v) : (v, u)
        let orient = (hi.x - lo.x) * (q.y - lo.y) - (hi.y - lo.y) * (q.x - lo.x)
        return (orient >= 0) == forward
    }

    private static func cell(of p: SIMD3<Float>, minimum: SIMD3<Float>, size: SIMD2<Float>, cells: Int) -> (Int, Int) {
        let x = Int((p.x - minimum.x) / size.x), y = Int((p.y - minimum.y) / size.y)
        return (min(max(x, 0), cells - 1), min(max(y, 0), cells - 1))
    }
}
