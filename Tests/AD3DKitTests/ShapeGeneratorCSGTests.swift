import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DSynthesis

@Suite("Shape generator constructive operations")
struct ShapeGeneratorCSGTests {
    private func placed(_ primitive: SolidPrimitive, at t: SIMD3<Float>, _ operation: CSGOperation = .union) -> ShapeComponent {
        ShapeComponent(primitive: primitive, placement: RigidTransform(rotation: RigidTransform.identity.rotation, translation: t),
                       operation: operation)
    }

    @Test("Union of two unit boxes overlapping by half is the 3×2×2 box, sampled with uniform density")
    func unionDensity() throws {
        let cube = SolidPrimitive.box(halfExtents: [1, 1, 1], edges: .sharp)
        let assembly = ShapeAssembly(components: [placed(cube, at: .zero), placed(cube, at: [1, 0, 0])])
        var generator = SeededGenerator(seed: 21)
        let (surface, acceptance) = try assembly.sample(count: 32_000, using: &generator)
        #expect(surface.count == 32_000)
        // Candidate area 48, final area 32.
        #expect(abs(acceptance - 32.0 / 48) < 0.02)
        var endFaces = 0, topThirds = [0, 0, 0]
        for (p, n) in zip(surface.positions, surface.normals) {
            let onBox = abs(abs(p.y) - 1) < 1e-5 || abs(abs(p.z) - 1) < 1e-5 || abs(p.x + 1) < 1e-5 || abs(p.x - 2) < 1e-5
            #expect(onBox, "\(p) is not on the union's boundary")
            #expect(!SolidContainment(cube).contains(p, closed: false) || p.x > 0)
            if abs(n.x) > 0.5 { endFaces += 1 }
            if n.z > 0.5 { topThirds[min(max(Int(p.x + 1), 0), 2)] += 1 }
        }
        // The two end faces are 8 of 32 units of area; each third of the top face (one box only,
        // both boxes coplanar, the other box only) gets a third of the top points.
        #expect(abs(Double(endFaces) / 32_000 - 0.25) < 0.01)
        let top = Double(topThirds.reduce(0, +))
        #expect(abs(top / 32_000 - 6.0 / 32) < 0.01)
        for third in topThirds { #expect(abs(Double(third) / top - 1.0 / 3) < 0.03, "top thirds \(topThirds)") }
    }

    @Test("Difference of a plate and a through cylinder: no point inside the cutter, a cavity wall of the right share")
    func differenceHole() throws {
        let plate = SolidPrimitive.box(halfExtents: [2, 2, 0.5], edges: .sharp)
        let cutter = SolidPrimitive.cylinder(radius: 0.6, halfHeight: 1)
        let assembly = ShapeAssembly(components: [placed(plate, at: .zero), placed(cutter, at: [0.3, -0.2, 0], .difference)])
        var generator = SeededGenerator(seed: 22)
        let surface = try assembly.sample(count: 20_000, using: &generator).surface
        // Slightly thinner than the cutter: wall points lie on its boundary up to rounding.
        let hole = SolidContainment(.cylinder(radius: 0.6 - 1e-4, halfHeight: 1))
        var wall = 0
        for (p, n) in zip(surface.positions, surface.normals) {
            let local = p - [0.3, -0.2, 0]
            #expect(!hole.contains(local, closed: false), "\(p) is inside the hole")
            let rho = SIMD2(local.x, local.y)
            if abs((rho * rho).sum().squareRoot() - 0.6) < 1e-4 && abs(p.z) < 0.5 {
                wall += 1
                #expect((SIMD2(n.x, n.y) * rho).sum() < 0, "the cavity wall's normal must point into the hole")
            }
        }
        let wallArea = 2 * Double.pi * 0.6 * 1, total = 2 * 16 + 4 * 4 * 1 - 2 * Double.pi * 0.36 + wallArea
        #expect(abs(Double(wall) / 20_000 - wallArea / total) < 0.01, "wall share \(Double(wall) / 20_000)")
    }

    @Test("Intersection of a cube and a sphere keeps only points inside both")
    func intersection() throws {
        let cube = SolidPrimitive.box(halfExtents: [1, 1, 1], edges: .sharp), ball = SolidPrimitive.sphere(radius: 1.3)
        let assembly = ShapeAssembly(components: [placed(cube, at: .zero), placed(ball, at: .zero, .intersection)])
        var generator = SeededGenerator(seed: 23)
        let surface = try assembly.sample(count: 5000, using: &generator).surface
        var onSphere = 0
        for p in surface.positions {
            #expect(SolidContainment(cube).contains(p * 0.9999, closed: true) && (p * p).sum() <= 1.3 * 1.3 + 1e-4)
            if abs((p * p).sum().squareRoot() - 1.3) < 1e-4 { onSphere += 1 }
        }
        #expect(onSphere > 0 && onSphere < 5000)
    }

    @Test("Random assemblies: points on the final boundary with outward normals")
    func randomAssembliesAreOriented() throws {
        let shapes = ShapeGenerator()
        var generator = SeededGenerator(seed: 24)
        for _ in 0..<25 {
            let assembly = try shapes.shape(using: &generator)
            guard let surface = try? assembly.sample(count: 1500, using: &generator).surface else { continue }
            let box = PointCloud(points: surface.positions).boundingBox!
            let epsilon = 1e-4 * SynthesisGeometry.length(box.max - box.min)
            let fraction = ShapeFixtures.orientedFraction(surface, epsilon: epsilon, assembly.contains)
            #expect(fraction > 0.97, "\(fraction) oriented for \(assembly)")
        }
    }

    @Test("Anisotropic scale keeps the density uniform: face shares of a stretched cube follow the stretched areas")
    func anisotropicScale() throws {
        let cube = SolidPrimitive.box(halfExtents: [1, 1, 1], edges: .sharp)
        let assembly = ShapeAssembly(components: [placed(cube, at: .zero)], scale: [2, 1, 0.5])
        var generator = SeededGenerator(seed: 25)
        let surface = try assembly.sample(count: 28_000, using: &generator).surface
        // Faces of the 4×2×1 box: normal x: 2·1, normal y: 4·1, normal z: 4·2 (times two sides), total 28.
        var counts = SIMD3<Double>.zero
        for n in surface.normals { counts += SIMD3<Double>(abs(n.x) > 0.5 ? 1 : 0, abs(n.y) > 0.5 ? 1 : 0, abs(n.z) > 0.5 ? 1 : 0) }
        let shares = counts / 28_000, expected = SIMD3<Double>(2, 4, 8) * 2 / 28
        #expect(abs(shares - expected).max() < 0.012, "face shares \(shares), expected \(expected)")
    }
}

private func abs(_ v: SIMD3<Double>) -> SIMD3<Double> { pointwiseMax(v, -v) }
