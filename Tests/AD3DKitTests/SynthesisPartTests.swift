import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DSynthesis

/// Procedural parts: closed, outward-facing, deterministic; sampling lies on the surface.
@Suite struct SynthesisPartTests {
    @Test(arguments: ProceduralPart.allCases)
    func partsAreOutwardFacingAndDeterministic(part: ProceduralPart) {
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7), other = SeededGenerator(seed: 8)
        let mesh = part.mesh(using: &first)
        #expect(mesh.vertices == part.mesh(using: &second).vertices)
        #expect(mesh.vertices != part.mesh(using: &other).vertices, "proportions vary with the seed")
        #expect(SynthesisFixtures.signedVolume(mesh) > 0, "triangles face outward")
        #expect(mesh.vertices.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite })
    }

    @Test func ringVolumeMatchesTheTorusFormula() {
        let ring = RingPart(majorRadius: 20, halfWidth: 4, halfHeight: 3)
        let expected = 2 * Double.pi * 20 * Double.pi * 4 * 3
        let volume = SynthesisFixtures.signedVolume(ring.mesh())
        #expect(abs(volume - expected) / expected < 0.01, "volume \(volume) vs \(expected)")
    }

    @Test func bracketVolumeMatchesTheProfileArea() {
        let bracket = BracketPart(
            width: 40, depth: 40, height: 30, thickness: 5, fillet: 6, bossRadius: 4, bossHeight: 3)
        // L area plus the fillet's corner region (square minus quarter disc), times the width;
        // plus two bosses (32-gon prisms). A boss has no bottom face (it stands on the base), so
        // the divergence sum misses that face's −area·z/3 with z = thickness.
        let profile = 40.0 * 5 + 25 * 5 + 36 * (1 - Double.pi / 4)
        let bossArea = 0.5 * 32 * 16 * sin(2 * Double.pi / 32)
        let expected = profile * 40 + 2 * (bossArea * 3 + bossArea * 5 / 3)
        let volume = SynthesisFixtures.signedVolume(bracket.mesh())
        #expect(abs(volume - expected) / expected < 0.005, "volume \(volume) vs \(expected)")
    }

    @Test func samplesLieOnTheSurfaceWithUnitNormals() throws {
        // A gear's points lie within the tip radius and face width; normals are unit vectors.
        let gear = GearPart(teeth: 16, rootRadius: 20, tipRadius: 24, thickness: 8, boreRadius: 6)
        let sampler = try SurfaceSampler(mesh: gear.mesh())
        var generator = SeededGenerator(seed: 3)
        let sample = sampler.sample(count: 3000, using: &generator)
        for (p, n) in zip(sample.positions, sample.normals) {
            let radius = (p.x * p.x + p.y * p.y).squareRoot()
            #expect(radius <= 24.001 && radius >= 5.99 && p.z >= -1e-4 && p.z <= 8.0001)
            #expect(abs((n * n).sum() - 1) < 1e-4)
        }
        // Area-weighted: the share on the two faces matches their share of the area.
        let faces = sample.positions.filter { abs($0.z) < 1e-4 || abs($0.z - 8) < 1e-4 }.count
        let faceShare = Double(faces) / 3000
        let expectedShare = faceArea(gear) / sampler.area
        #expect(abs(faceShare - expectedShare) < 0.03, "face share \(faceShare) vs \(expectedShare)")
    }

    @Test func randomPartsCoverEveryKind() {
        var generator = SeededGenerator(seed: 11)
        var seen = Set<ProceduralPart>()
        for _ in 0..<60 {
            let (part, mesh) = ProceduralPart.random(using: &generator)
            seen.insert(part)
            #expect(!mesh.triangles.isEmpty)
        }
        #expect(seen == Set(ProceduralPart.randomChoices))
    }

    @Test func randomPartsKeepTheirOriginalStream() {
        // Shape streams seeded before the rotor and spool existed draw the same parts.
        #expect(ProceduralPart.randomChoices == [.bracket, .flange, .shaft, .gear, .bottle, .knob, .ring])
        #expect(Set(ProceduralPart.allCases).subtracting(ProceduralPart.randomChoices) == [.rotor, .spool])
    }

    @Test(arguments: [ProceduralPart.rotor, .spool], [UInt64(1), 2, 3])
    func loftedPartsAreWatertight(part: ProceduralPart, seed: UInt64) {
        // Every edge of positive length is walked once each way (vertices matched by position):
        // the surface is closed and consistently oriented, with no internal faces between
        // blades and hub or flanges and barrel.
        var generator = SeededGenerator(seed: seed)
        let mesh = part.mesh(using: &generator)
        var balance = [[UInt32]: Int]()
        for t in mesh.triangles {
            let corners = [t.x, t.y, t.z].map { mesh.vertices[Int($0)] }
            for (u, v) in [(corners[0], corners[1]), (corners[1], corners[2]), (corners[2], corners[0])] where u != v {
                let forward = [u.x, u.y, u.z, v.x, v.y, v.z].map(\.bitPattern)
                let backward = Array(forward[3...] + forward[..<3])
                let ascending = forward.lexicographicallyPrecedes(backward)
                balance[ascending ? forward : backward, default: 0] += ascending ? 1 : -1
            }
        }
        #expect(balance.values.allSatisfy { $0 == 0 }, "\(balance.values.filter { $0 != 0 }.count) open or doubled edges")
        #expect(SynthesisFixtures.signedVolume(mesh) > 0)
    }

    @Test func rotorAndSpoolVolumesMatchTheirShapes() {
        // Blades and slots are prisms (a twist does not change a blade's volume), the rest revolved.
        let rotor = RotorPart(
            hubRadius: 10, boreRadius: 4, tipRadius: 25, blades: 8, bladeThickness: 1.5, bladeLength: 20,
            collarLength: 5, twist: 0.5)
        let hub = Double.pi * (100 - 16) * 30, blades = 8 * 1.5 * 15 * 20.0
        expectVolume(rotor.mesh(), hub + blades, tolerance: 0.005)
        let spool = SpoolPart(
            flangeRadius: 30, flangeThickness: 5, barrelRadius: 15, length: 50, boreRadius: 8, slots: 6,
            slotHalfAngle: 0.1, slotDepth: 6)
        let slotArea = 0.1 * (900 - 576.0)
        let expected = Double.pi * 900 * 10 - 6 * slotArea * 10 + Double.pi * 225 * 40 - Double.pi * 64 * 50
        expectVolume(spool.mesh(), expected, tolerance: 0.005)
    }

    private func expectVolume(_ mesh: TriangleMesh, _ expected: Double, tolerance: Double) {
        let volume = SynthesisFixtures.signedVolume(mesh)
        #expect(abs(volume - expected) / expected < tolerance, "volume \(volume) vs \(expected)")
    }

    /// Area of the gear's top and bottom faces (toothed outline minus bore), from its mesh.
    private func faceArea(_ gear: GearPart) -> Double {
        let mesh = gear.mesh()
        return mesh.triangles.indices.filter { index in
            let t = mesh.triangles[index]
            return [t.x, t.y, t.z].allSatisfy { abs(mesh.vertices[Int($0)].z) < 1e-4 }
                || [t.x, t.y, t.z].allSatisfy { abs(mesh.vertices[Int($0)].z - gear.thickness) < 1e-4 }
        }.reduce(0) { $0 + mesh.area(ofTriangle: $1) }
    }
}
