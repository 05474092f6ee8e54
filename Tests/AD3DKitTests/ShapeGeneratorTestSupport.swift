import Foundation
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DSynthesis

/// Shared helpers for the shape generator tests.
enum ShapeFixtures {
    /// The primitives checked one by one (unit-ish sizes), with their exact volume where known.
    static let primitives: [(name: String, primitive: SolidPrimitive, volume: Double?)] = {
        var generator = SeededGenerator(seed: 3)
        let profile = Profile2D.random(kind: .roundedRectangle, halfWidth: 1, halfHeight: 0.7, maximumHoles: 3, using: &generator)
        let star = Profile2D.random(kind: .star, halfWidth: 1, halfHeight: 1, maximumHoles: 1, using: &generator)
        let channel = Profile2D.random(kind: .channel, halfWidth: 1, halfHeight: 0.8, maximumHoles: 0, using: &generator)
        let turned = RevolutionProfile.random(radius: 1, halfHeight: 1, using: &generator)
        var gear = ProceduralPart.gear.mesh(using: &generator)
        let box = PointCloud(points: gear.vertices).boundingBox!
        gear.vertices = gear.vertices.map { $0 - (box.min + box.max) / 2 }
        let pi = Double.pi
        return [
            ("box", .box(halfExtents: [1, 0.6, 0.4], edges: .sharp), 8 * 0.6 * 0.4),
            ("chamfered box", .box(halfExtents: [1, 0.6, 0.4], edges: .chamfer(0.15)), nil),
            ("rounded box", .box(halfExtents: [1, 0.6, 0.4], edges: .round(0.2)), nil),
            ("cylinder", .cylinder(radius: 0.7, halfHeight: 0.9), pi * 0.49 * 1.8),
            ("cone", .frustum(bottomRadius: 0.8, topRadius: 0, halfHeight: 0.6), pi * 0.64 * 1.2 / 3),
            ("frustum", .frustum(bottomRadius: 0.8, topRadius: 0.4, halfHeight: 0.6), pi * 1.2 / 3 * (0.64 + 0.32 + 0.16)),
            ("sphere", .sphere(radius: 1), 4 * pi / 3),
            ("torus", .torus(majorRadius: 0.8, minorRadius: 0.25), 2 * pi * pi * 0.8 * 0.0625),
            ("capsule", .capsule(radius: 0.4, halfLength: 0.6), pi * 0.16 * 1.2 + 4 * pi * 0.064 / 3),
            ("extrusion", .extrusion(profile, halfHeight: 0.5), Double(profile.area)),
            ("star extrusion", .extrusion(star, halfHeight: 0.3), Double(star.area) * 0.6),
            ("channel extrusion", .extrusion(channel, halfHeight: 0.8), Double(channel.area) * 1.6),
            ("revolution", .revolution(turned), nil),
            ("gear mesh", .part(.gear, mesh: gear), SynthesisFixtures.signedVolume(gear)),
        ]
    }()

    /// Monte Carlo volume of `contains` over the box `low...high` with `samples` points.
    static func monteCarloVolume(
        low: SIMD3<Float>, high: SIMD3<Float>, samples: Int, seed: UInt64, _ contains: (SIMD3<Float>) -> Bool
    ) -> Double {
        var generator = SeededGenerator(seed: seed)
        var hits = 0
        for _ in 0..<samples {
            let u = SIMD3(generator.nextUnitFloat(), generator.nextUnitFloat(), generator.nextUnitFloat())
            if contains(low + u * (high - low)) { hits += 1 }
        }
        let e = high - low
        return Double(hits) / Double(samples) * Double(e.x * e.y * e.z)
    }

    /// Volume from the divergence theorem, V = ⅓ ∮ p·n dA, estimated from uniform surface samples.
    static func divergenceVolume(_ sample: SurfaceSample, area: Double) -> Double {
        var total = 0.0
        for (p, n) in zip(sample.positions, sample.normals) { total += Double((p * n).sum()) }
        return area * total / Double(sample.count) / 3
    }

    /// Fraction of points whose step `epsilon` inwards is inside and outwards is outside.
    static func orientedFraction(
        _ sample: SurfaceSample, epsilon: Float, _ contains: ([SIMD3<Float>]) -> [Bool]
    ) -> Double {
        let inward = contains(zip(sample.positions, sample.normals).map { $0 - epsilon * $1 })
        let outward = contains(zip(sample.positions, sample.normals).map { $0 + epsilon * $1 })
        let good = zip(inward, outward).filter { $0 && !$1 }.count
        return Double(good) / Double(sample.count)
    }
}
