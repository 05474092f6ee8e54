import AD3DSupport

/// A triangle mesh: shared vertices and triangles as index triples into them.
public struct TriangleMesh: Sendable {
    /// Vertex positions.
    public var vertices: [SIMD3<Float>]
    /// Triangles as three 0-based indices into `vertices`.
    public var triangles: [SIMD3<Int32>]

    /// A mesh from vertices and index triples (indices must be in range).
    public init(vertices: [SIMD3<Float>] = [], triangles: [SIMD3<Int32>] = []) {
        self.vertices = vertices
        self.triangles = triangles
    }

    /// Area of triangle `index`.
    public func area(ofTriangle index: Int) -> Double {
        let t = triangles[index]
        let a = SIMD3<Double>(vertices[Int(t.x)]), b = SIMD3<Double>(vertices[Int(t.y)])
        let c = SIMD3<Double>(vertices[Int(t.z)])
        let u = b - a, v = c - a
        let cross = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        return 0.5 * (cross * cross).sum().squareRoot()
    }

    /// `count` points drawn uniformly from the surface: a triangle is chosen with probability
    /// proportional to its area, then a uniform point inside it (`√r₁` barycentric trick).
    /// Deterministic for a given `seed` (uses `SeededGenerator`).
    public func sampleSurface(count: Int, seed: UInt64) -> PointCloud {
        precondition(count >= 0, "sample count must be non-negative")
        precondition(count == 0 || !triangles.isEmpty, "cannot sample a mesh without triangles")
        var cumulative = [Double]()
        cumulative.reserveCapacity(triangles.count)
        var total = 0.0
        for index in triangles.indices {
            total += area(ofTriangle: index)
            cumulative.append(total)
        }
        var generator = SeededGenerator(seed: seed)
        var coordinates = [Float]()
        coordinates.reserveCapacity(3 * count)
        for _ in 0..<count {
            let u = Double(generator.next() >> 11) * 0x1p-53
            // A mesh with zero total area still yields points: fall back to uniform triangles.
            let chosen = total > 0
                ? firstIndex(in: cumulative, above: u * total)
                : Int(u * Double(triangles.count))
            let t = triangles[min(chosen, triangles.count - 1)]
            let r1 = Double(generator.next() >> 11) * 0x1p-53
            let r2 = Double(generator.next() >> 11) * 0x1p-53
            let s = r1.squareRoot()
            let a = SIMD3<Double>(vertices[Int(t.x)]), b = SIMD3<Double>(vertices[Int(t.y)])
            let c = SIMD3<Double>(vertices[Int(t.z)])
            let p = (1 - s) * a + (s * (1 - r2)) * b + (s * r2) * c
            coordinates.append(Float(p.x)); coordinates.append(Float(p.y)); coordinates.append(Float(p.z))
        }
        return PointCloud(coordinates: coordinates)
    }

    /// The first index whose cumulative value exceeds `target` (binary search).
    private func firstIndex(in cumulative: [Double], above target: Double) -> Int {
        var low = 0, high = cumulative.count
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Appends polygon `corners` (0-based indices), fan-triangulated, after checking that it
    /// has at least three corners and that every index names an existing vertex.
    mutating func appendPolygon(_ corners: [Int], face: Int, path: String) throws {
        guard corners.count >= 3 else {
            throw PointCloudIOError.invalidFace(path: path, face: face, problem: "\(corners.count) corners (need at least 3)")
        }
        let valid = 0..<min(vertices.count, Int(Int32.max))
        for corner in corners where !valid.contains(corner) {
            throw PointCloudIOError.invalidFace(
                path: path, face: face, problem: "vertex index \(corner) is out of range 0..<\(valid.upperBound)")
        }
        for k in 1..<(corners.count - 1) {
            triangles.append(SIMD3(Int32(corners[0]), Int32(corners[k]), Int32(corners[k + 1])))
        }
    }

    /// Checks a freshly read mesh: faces present, coordinates finite and in range, positive surface area.
    func validate(path: String) throws {
        guard !triangles.isEmpty else { throw PointCloudIOError.noPoints(path: path) }
        try requireUsableCoordinates(vertices.flatMap { [$0.x, $0.y, $0.z] }, path: path)
        guard triangles.indices.contains(where: { area(ofTriangle: $0) > 0 }) else {
            throw PointCloudIOError.degenerateMesh(path: path)
        }
    }
}
