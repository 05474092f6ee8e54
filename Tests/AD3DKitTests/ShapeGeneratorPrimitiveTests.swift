import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DSynthesis

@Suite("Shape generator primitives")
struct ShapeGeneratorPrimitiveTests {
    static let names = ShapeFixtures.primitives.map(\.name)

    private func fixture(_ name: String) -> (SolidPrimitive, Double?) {
        let entry = ShapeFixtures.primitives.first { $0.name == name }!
        return (entry.primitive, entry.volume)
    }

    @Test("Monte Carlo volume of the inside test matches the formula", arguments: names)
    func insideTestVolume(name: String) {
        let (primitive, volume) = fixture(name)
        guard let volume else { return }
        let test = SolidContainment(primitive), box = primitive.bounds
        let estimate = ShapeFixtures.monteCarloVolume(low: box.min, high: box.max, samples: 60_000, seed: 5) {
            test.contains($0, closed: true)
        }
        #expect(abs(estimate - volume) <= 0.03 * volume, "\(name): Monte Carlo \(estimate), exact \(volume)")
    }

    @Test("Surface samples, areas and the inside test agree through the divergence theorem", arguments: names)
    func divergenceMatchesInsideTest(name: String) {
        let (primitive, _) = fixture(name)
        let assembly = ShapeAssembly(components: [ShapeComponent(primitive: primitive)])
        var generator = SeededGenerator(seed: 7)
        let sample = try! assembly.sample(count: 20_000, using: &generator).surface
        let area = primitive.patches().reduce(0.0) { $0 + Double($1.area) }
        let fromSurface = ShapeFixtures.divergenceVolume(sample, area: area)
        let test = SolidContainment(primitive), box = primitive.bounds
        let fromInside = ShapeFixtures.monteCarloVolume(low: box.min, high: box.max, samples: 60_000, seed: 9) {
            test.contains($0, closed: true)
        }
        #expect(abs(fromSurface - fromInside) <= 0.04 * fromInside, "\(name): surface \(fromSurface), inside \(fromInside)")
    }

    @Test("Sampled points lie on the surface with outward normals", arguments: names)
    func pointsOnSurfaceFacingOut(name: String) {
        let (primitive, _) = fixture(name)
        let test = SolidContainment(primitive)
        var generator = SeededGenerator(seed: 11)
        let sample = try! ShapeAssembly(components: [ShapeComponent(primitive: primitive)]).sample(count: 4000, using: &generator)
        #expect(sample.acceptance == 1)
        let fraction = ShapeFixtures.orientedFraction(sample.surface, epsilon: 2e-3) { $0.map { test.contains($0, closed: true) } }
        #expect(fraction > 0.99, "\(name): only \(fraction) of the points have an inside step in and an outside step out")
        for n in sample.surface.normals { #expect(abs(SynthesisGeometry.length(n) - 1) < 1e-4) }
    }

    @Test("Every random profile kind gives a simple region containing its interior points")
    func randomProfiles() {
        var generator = SeededGenerator(seed: 13)
        for kind in ProfileKind.allCases {
            for _ in 0..<20 {
                let profile = Profile2D.random(kind: kind, halfWidth: 2, halfHeight: 1, maximumHoles: 3, using: &generator)
                let outer = Profile2D(outer: profile.loops[0])
                let holes = profile.loops.dropFirst().map { Profile2D.signedArea($0) }
                #expect(profile.area > 0 && holes.allSatisfy { $0 < 0 }, "\(kind): holes must run clockwise")
                #expect(abs(outer.area + holes.reduce(0, +) - profile.area) < 1e-3)
                #expect(profile.maximum.x <= 2 + 1e-4 && profile.maximum.y <= 1 + 1e-4)
                let p = profile.randomInteriorPoint(using: &generator)
                #expect(profile.contains(p))
            }
        }
    }
}
