import AD3DPointCloud
import AD3DSupport
import Foundation

/// Points sampled on a mesh surface with the normal of the triangle each came from.
public struct SurfaceSample: Sendable, Equatable {
    /// The points.
    public var positions: [SIMD3<Float>]
    /// Unit outward normals, one per point (zero for points of degenerate triangles).
    public var normals: [SIMD3<Float>]

    /// A sample from points and their normals.
    public init(positions: [SIMD3<Float>], normals: [SIMD3<Float>]) {
        precondition(positions.count == normals.count, "one normal per point")
        self.positions = positions
        self.normals = normals
    }

    /// Number of points.
    public var count: Int { positions.count }
}

/// Area-weighted surface sampling of one mesh, with per-point normals for defect displacement
/// and visibility. Precomputes the triangle areas once so that every scan costs O(N log T).
public struct SurfaceSampler: Sendable {
    /// The mesh sampled.
    public let mesh: TriangleMesh
    /// Total surface area.
    public let area: Double
    /// Length of the mesh's bounding-box diagonal (the scale every relative length refers to).
    public let diagonal: Float
    /// Centre of the mesh's bounding box.
    public let center: SIMD3<Float>
    private let cumulative: [Double]
    private let faceNormals: [SIMD3<Float>]

    /// A sampler for `mesh`; throws if it has no triangle of positive area.
    public init(mesh: TriangleMesh) throws(SynthesisError) {
        var cumulative = [Double](), normals = [SIMD3<Float>]()
        cumulative.reserveCapacity(mesh.triangles.count)
        normals.reserveCapacity(mesh.triangles.count)
        var total = 0.0
        let count = mesh.vertices.count
        for t in mesh.triangles {
            guard (0..<count).contains(Int(t.x)), (0..<count).contains(Int(t.y)), (0..<count).contains(Int(t.z)) else {
                throw SynthesisError.invalidMesh(problem: "a triangle refers to a vertex that does not exist")
            }
            let a = SIMD3<Double>(mesh.vertices[Int(t.x)]), b = SIMD3<Double>(mesh.vertices[Int(t.y)])
            let c = SIMD3<Double>(mesh.vertices[Int(t.z)])
            let n = SynthesisGeometry.cross(b - a, c - a)
            let length = (n * n).sum().squareRoot()
            total += length.isFinite ? 0.5 * length : 0
            cumulative.append(total)
            normals.append(length > 0 && length.isFinite ? SIMD3<Float>(n / length) : .zero)
        }
        guard total > 0, total.isFinite else {
            throw SynthesisError.invalidMesh(problem: "the mesh has no triangle of positive area")
        }
        let used = PointCloud(points: mesh.vertices)
        let box = used.boundingBox ?? (.zero, .zero)
        self.mesh = mesh
        self.area = total
        self.cumulative = cumulative
        self.faceNormals = normals
        self.center = (box.min + box.max) / 2
        let extent = box.max - box.min
        self.diagonal = (extent * extent).sum().squareRoot()
    }

    /// `count` points uniform on the surface (a triangle chosen with probability proportional to
    /// its area, then a uniform point in it), each with its triangle's normal.
    public func sample(count: Int, using generator: inout SeededGenerator) -> SurfaceSample {
        var positions = [SIMD3<Float>](), normals = [SIMD3<Float>]()
        positions.reserveCapacity(count)
        normals.reserveCapacity(count)
        cumulative.withUnsafeBufferPointer { cumulative in
            for _ in 0..<count {
                let target = Double(generator.next() >> 11) * 0x1p-53 * area
                var low = 0, high = cumulative.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] > target { high = middle } else { low = middle + 1 }
                }
                let t = mesh.triangles[low]
                let r1 = generator.nextUnitFloat().squareRoot(), r2 = generator.nextUnitFloat()
                let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
                positions.append((1 - r1) * a + (r1 * (1 - r2)) * b + (r1 * r2) * c)
                normals.append(faceNormals[low])
            }
        }
        return SurfaceSample(positions: positions, normals: normals)
    }
}
