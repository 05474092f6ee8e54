import AD3DPointCloud
import Foundation

/// Occlusion queries against a triangle mesh, for simulated sensors: a bounding-volume hierarchy
/// over the triangles (split at the median centroid along the longest axis), whose leaves are
/// tested with the Möller–Trumbore ray/triangle intersection (Möller & Trumbore 1997).
public struct MeshRayCaster: Sendable {
    /// A box of the hierarchy: an inner node's children are `first` and `first + 1`; a leaf
    /// (`count > 0`) holds triangles `first ..< first + count` of the leaf order.
    private struct Node: Sendable {
        var low: SIMD3<Float>, high: SIMD3<Float>
        var first: Int32, count: Int32
    }

    /// A triangle as its first vertex and the two edges leaving it (what the intersection needs).
    struct Triangle: Sendable {
        var origin: SIMD3<Float>, edge1: SIMD3<Float>, edge2: SIMD3<Float>
    }

    /// Most triangles in a leaf.
    private static let leafSize = 4
    /// Deepest possible hierarchy (median splits halve the triangles, so 2^64 would be needed).
    private static let maximumDepth = 64

    private let nodes: [Node]
    private let triangles: [Triangle]
    /// Length of the mesh's bounding-box diagonal.
    public let diagonal: Float

    /// The hierarchy of `mesh`'s triangles (indices must be valid).
    public init(mesh: TriangleMesh) {
        let all = mesh.triangles.map { t in
            let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
            return Triangle(origin: a, edge1: b - a, edge2: c - a)
        }
        let centroids = all.map { $0.origin + ($0.edge1 + $0.edge2) / 3 }
        var order = Array(all.indices)
        var nodes = [Node(low: .zero, high: .zero, first: 0, count: 0)]
        var pending = [(node: 0, start: 0, end: all.count)]
        while let (node, start, end) = pending.popLast() {
            var low = SIMD3<Float>(repeating: .infinity), high = SIMD3<Float>(repeating: -.infinity)
            var centroidLow = low, centroidHigh = high
            for index in order[start..<end] {
                let t = all[index]
                low = pointwiseMin(low, pointwiseMin(t.origin, pointwiseMin(t.origin + t.edge1, t.origin + t.edge2)))
                high = pointwiseMax(high, pointwiseMax(t.origin, pointwiseMax(t.origin + t.edge1, t.origin + t.edge2)))
                centroidLow = pointwiseMin(centroidLow, centroids[index])
                centroidHigh = pointwiseMax(centroidHigh, centroids[index])
            }
            nodes[node].low = low
            nodes[node].high = high
            let extent = centroidHigh - centroidLow
            guard end - start > Self.leafSize, extent.max() > 0 else {
                nodes[node].first = Int32(start)
                nodes[node].count = Int32(end - start)
                continue
            }
            let axis = extent.x >= extent.y && extent.x >= extent.z ? 0 : (extent.y >= extent.z ? 1 : 2)
            order[start..<end].sort { (centroids[$0][axis], $0) < (centroids[$1][axis], $1) }
            let middle = (start + end) / 2
            nodes[node].first = Int32(nodes.count)
            pending.append((nodes.count, start, middle))
            pending.append((nodes.count + 1, middle, end))
            nodes += Array(repeating: Node(low: .zero, high: .zero, first: 0, count: 0), count: 2)
        }
        self.nodes = nodes
        triangles = order.map { all[$0] }
        let size = all.isEmpty ? .zero : nodes[0].high - nodes[0].low
        diagonal = (size * size).sum().squareRoot()
    }

    /// Whether the segment from `origin` to `target` crosses a triangle (its end points excluded).
    public func isBlocked(from origin: SIMD3<Float>, to target: SIMD3<Float>) -> Bool {
        guard !triangles.isEmpty else { return false }
        let direction = target - origin
        // A zero component would give 0 · ∞ = NaN in the slab test; a tiny one gives ±huge.
        let tiny = SIMD3<Float>(repeating: 1e-30)
        let inverse = 1 / direction.replacing(with: tiny, where: pointwiseMax(direction, -direction) .< tiny)
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.maximumDepth + 1) { stack in
            var depth = 1
            stack[0] = 0
            while depth > 0 {
                depth -= 1
                let node = nodes[Int(stack[depth])]
                let near = (node.low - origin) * inverse, far = (node.high - origin) * inverse
                let entry = max(pointwiseMin(near, far).max(), 0), exit = min(pointwiseMax(near, far).min(), 1)
                guard entry <= exit else { continue }
                if node.count > 0 {
                    for index in Int(node.first)..<Int(node.first + node.count)
                    where Self.crosses(triangles[index], origin: origin, direction: direction) {
                        return true
                    }
                } else {
                    stack[depth] = node.first
                    stack[depth + 1] = node.first + 1
                    depth += 2
                }
            }
            return false
        }
    }

    /// Whether the segment `origin + t · direction`, 0 < t < 1, crosses `triangle` (Möller–Trumbore;
    /// a segment in the triangle's plane does not).
    static func crosses(_ triangle: Triangle, origin: SIMD3<Float>, direction: SIMD3<Float>) -> Bool {
        let p = SynthesisGeometry.cross(direction, triangle.edge2)
        let determinant = SynthesisGeometry.dot(triangle.edge1, p)
        guard determinant != 0 else { return false }
        let inverse = 1 / determinant
        let s = origin - triangle.origin
        let u = SynthesisGeometry.dot(s, p) * inverse
        guard u >= 0, u <= 1 else { return false }
        let q = SynthesisGeometry.cross(s, triangle.edge1)
        let v = SynthesisGeometry.dot(direction, q) * inverse
        guard v >= 0, u + v <= 1 else { return false }
        let t = SynthesisGeometry.dot(triangle.edge2, q) * inverse
        return t > 0 && t < 1
    }
}
