import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DSynthesis

/// Single views: the ray caster agrees with a brute-force loop over all triangles, and a sensor
/// loses back-facing, grazing and hidden points.
@Suite struct SynthesisOcclusionTests {
    /// Whether the segment from `origin` to `target` crosses any of `mesh`'s triangles, tested one
    /// by one (no acceleration structure).
    private func bruteForceBlocked(_ mesh: TriangleMesh, from origin: SIMD3<Float>, to target: SIMD3<Float>) -> Bool {
        mesh.triangles.contains { t in
            let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
            return MeshRayCaster.crosses(
                MeshRayCaster.Triangle(origin: a, edge1: b - a, edge2: c - a), origin: origin, direction: target - origin)
        }
    }

    @Test(arguments: [ProceduralPart.rotor, .bracket, .spool])
    func rayCasterMatchesBruteForce(part: ProceduralPart) throws {
        let sampler = try SynthesisFixtures.sampler(part)
        let caster = MeshRayCaster(mesh: sampler.mesh)
        var generator = SeededGenerator(seed: 5)
        let sample = sampler.sample(count: 300, using: &generator)
        var blocked = 0
        for view in 0..<3 {
            let sensor = SensorPlacement.random(diagonal: sampler.diagonal, using: &generator).position(around: sampler.center)
            let offset = ScanSimulator.rayOffset * caster.diagonal
            for point in sample.positions {
                let origin = point + SynthesisGeometry.normalized(sensor - point) * offset
                let expected = bruteForceBlocked(sampler.mesh, from: origin, to: sensor)
                #expect(caster.isBlocked(from: origin, to: sensor) == expected, "\(part) view \(view)")
                blocked += expected ? 1 : 0
            }
        }
        #expect(blocked > 100 && blocked < 800, "both outcomes are exercised: \(blocked) of 900 blocked")
    }

    @Test func aPlateHidesThePartOfTheBaseBelowIt() throws {
        // A 20 × 20 base (z 0–1) under a 6 × 6 plate (z 5–6), seen from straight above: points
        // of the base's top under the plate are hidden, the rest of the top is seen, the sides
        // are grazing or facing away.
        var builder = MeshBuilder()
        let square: [SIMD2<Float>] = [[-1, -1], [1, -1], [1, 1], [-1, 1]]
        builder.addExtrusion(outline: square.map { $0 * 10 }, z0: 0, z1: 1)
        builder.addExtrusion(outline: square.map { $0 * 3 }, z0: 5, z1: 6)
        let sampler = try SurfaceSampler(mesh: builder.mesh)
        var generator = SeededGenerator(seed: 1)
        let sample = sampler.sample(count: 4000, using: &generator)
        let sensor = SIMD3<Float>(0, 0, 200)
        let visible = ScanSimulator.visibility(of: sample, from: sensor, occluders: MeshRayCaster(mesh: sampler.mesh))
        var hidden = 0
        for (i, p) in sample.positions.enumerated() {
            let facing = SynthesisGeometry.dot(sample.normals[i], SynthesisGeometry.normalized(sensor - p))
            if facing < ScanSimulator.grazingCosine { #expect(!visible[i]); continue }
            // The plate's shadow on the base top (z = 1) from a sensor 200 above: |x|, |y| < 3 · 199/194.
            let shadow: Float = 3 * 199 / 194
            if abs(p.z - 1) < 1e-4 && abs(p.x) < shadow - 0.01 && abs(p.y) < shadow - 0.01 {
                #expect(!visible[i], "base point \(p) under the plate")
                hidden += 1
            } else if abs(p.x) > shadow + 0.01 || abs(p.y) > shadow + 0.01 || p.z > 5.5 {
                #expect(visible[i], "point \(p) in plain view")
            }
        }
        #expect(hidden > 20, "some points facing the sensor are hidden: \(hidden)")
    }

    @Test func aRotorsBladesHidePointsThatFaceTheSensor() throws {
        let sampler = try SynthesisFixtures.sampler(.rotor)
        var generator = SeededGenerator(seed: 2)
        let sample = sampler.sample(count: 3000, using: &generator)
        let sensor = sampler.center + sampler.diagonal * 2 * SynthesisGeometry.normalized([1, 0.3, 0.4])
        let visible = ScanSimulator.visibility(of: sample, from: sensor, occluders: MeshRayCaster(mesh: sampler.mesh))
        let facing = sample.positions.indices.map { i in
            let ray = sensor - sample.positions[i]
            return SynthesisGeometry.dot(sample.normals[i], ray) >= ScanSimulator.grazingCosine * SynthesisGeometry.length(ray)
        }
        let seen = visible.filter { $0 }.count, facingCount = facing.filter { $0 }.count
        #expect(zip(visible, facing).allSatisfy { !$0 || $1 }, "only points facing the sensor are seen")
        #expect(seen < facingCount * 9 / 10, "blades hide facing points: \(seen) of \(facingCount) seen")
        #expect(seen > 300)
    }
}
