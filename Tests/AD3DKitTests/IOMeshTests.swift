import Foundation
import Testing
import AD3DKit
@testable import AD3DPointCloud

/// Surface sampling: deterministic, on the surface, proportional to area.
@Suite struct IOMeshTests {
    /// Two triangles in the z = 0 plane with areas 3 : 1, and one off the plane (z = 5) of zero area.
    let mesh = TriangleMesh(
        vertices: [[0, 0, 0], [3, 0, 0], [0, 2, 0], [10, 0, 0], [11, 0, 0], [10, 2, 0], [0, 0, 5], [1, 1, 5]],
        triangles: [[0, 1, 2], [3, 4, 5], [6, 7, 6]])

    @Test func samplingIsDeterministicPerSeed() {
        let a = mesh.sampleSurface(count: 100, seed: 1)
        #expect(a == mesh.sampleSurface(count: 100, seed: 1))
        #expect(a != mesh.sampleSurface(count: 100, seed: 2))
    }

    @Test func samplesLieOnTrianglesInProportionToArea() {
        let samples = mesh.sampleSurface(count: 40_000, seed: 5)
        var counts = [0, 0, 0]
        for i in 0..<samples.count {
            let p = SIMD3<Double>(samples[i])
            let owner = mesh.triangles.indices.first { t in
                let c = mesh.triangles[t]
                let a = SIMD3<Double>(mesh.vertices[Int(c.x)]), b = SIMD3<Double>(mesh.vertices[Int(c.y)])
                let d = SIMD3<Double>(mesh.vertices[Int(c.z)])
                let whole = triangleArea(a, b, d)
                let parts = triangleArea(p, b, d) + triangleArea(a, p, d) + triangleArea(a, b, p)
                return whole > 0 && abs(parts - whole) < 1e-4 * whole
            }
            if let owner { counts[owner] += 1 }
        }
        #expect(counts.reduce(0, +) == samples.count, "every sample lies inside a triangle")
        #expect(counts[2] == 0)
        let ratio = Double(counts[0]) / Double(counts[1])
        #expect(abs(ratio - 3) < 0.15, "area 3 : 1 gives \(counts[0]) : \(counts[1])")
    }

    @Test func samplesAreUniformWithinATriangle() {
        // For a uniform density on the triangle (0,0)-(3,0)-(0,2) the centroid is (1, 2/3).
        let single = TriangleMesh(vertices: [[0, 0, 0], [3, 0, 0], [0, 2, 0]], triangles: [[0, 1, 2]])
        let samples = single.sampleSurface(count: 20_000, seed: 11)
        var sum = SIMD3<Double>()
        for i in 0..<samples.count { sum += SIMD3<Double>(samples[i]) }
        let mean = sum / Double(samples.count)
        #expect(abs(mean.x - 1) < 0.02 && abs(mean.y - 2.0 / 3) < 0.02 && mean.z == 0)
    }

    @Test func readerSamplingUsesSeedAndCount() throws {
        let url = IOFixtures.url("box.obj")
        let a = try PointCloudReader.read(url, meshSampleCount: 64, seed: 3)
        let b = try PointCloudReader.read(url, meshSampleCount: 64, seed: 3)
        #expect(a.cloud == b.cloud && a.cloud.count == 64)
        #expect(try PointCloudReader.read(url, meshSampleCount: 64, seed: 4).cloud != a.cloud)
        #expect(try PointCloudReader.read(url).cloud.count == 16_384)
    }
}

private func triangleArea(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>) -> Double {
    let u = b - a, v = c - a
    let cross = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
    return 0.5 * (cross * cross).sum().squareRoot()
}
