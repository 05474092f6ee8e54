import Testing
@testable import AD3DSupport
@testable import AD3DPointCloud

/// `SurfaceBoundary`: the rim of a partial surface, none on a closed one.
@Suite struct SamplingBoundaryTests {
    @Test func theRimOfASquareIsBoundaryItsInteriorAndAClosedSphereAreNot() throws {
        // A 60 × 60 jittered grid of spacing 1 on the plane z = 0, normals along z.
        var generator = SeededGenerator(seed: 3)
        var points = [SIMD3<Float>]()
        for row in 0..<60 {
            for column in 0..<60 {
                let jitter = SIMD3(Float.random(in: -0.2...0.2, using: &generator), Float.random(in: -0.2...0.2, using: &generator), 0)
                points.append(SIMD3(Float(column), Float(row), 0) + jitter)
            }
        }
        let square = PointCloud(points: points)
        let flat = [Float]((0..<points.count).flatMap { _ in [0, 0, 1] as [Float] })
        let rim = SurfaceBoundary().boundary(of: square, normals: flat, tree: try KDTree(square))
        for (i, point) in points.enumerated() {
            let fromEdge = min(point.x, point.y, 59 - point.x, 59 - point.y)
            if fromEdge < 0.3 { #expect(rim[i], "point \(point) on the square's edge") }
            if fromEdge > 3 { #expect(!rim[i], "point \(point) inside the square") }
        }
        // Points all over a sphere, normals radial: no rim anywhere.
        let directions = FibonacciSphere.directions(count: 4000)
        let sphere = PointCloud(points: directions.map { $0 * 10 })
        let closed = SurfaceBoundary().boundary(of: sphere, normals: directions.flatMap { [$0.x, $0.y, $0.z] }, tree: try KDTree(sphere))
        #expect(!closed.contains(true))
    }
}
