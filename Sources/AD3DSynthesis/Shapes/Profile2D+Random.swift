import AD3DSupport
import Foundation

/// The families of random cross-sections used for extrusions.
public enum ProfileKind: String, Sendable, CaseIterable, Codable {
    case polygon, star, roundedRectangle, slot, channel, gear
}

extension Profile2D {
    /// A random cross-section of `kind` fitting in `[-halfWidth, halfWidth] × [-halfHeight, halfHeight]`,
    /// with up to `maximumHoles` round holes kept clear of the boundary and of each other.
    static func random(
        kind: ProfileKind, halfWidth: Float, halfHeight: Float, maximumHoles: Int,
        using generator: inout SeededGenerator
    ) -> Profile2D {
        let outer: [SIMD2<Float>]
        switch kind {
        case .polygon:
            outer = radialOutline(count: generator.integer(in: 3...9), halfWidth: halfWidth, halfHeight: halfHeight) { _ in
                generator.uniform(0.6...1)
            }
        case .star:
            let points = generator.integer(in: 4...9), inner = generator.uniform(0.35...0.7)
            outer = radialOutline(count: 2 * points, halfWidth: halfWidth, halfHeight: halfHeight) { $0 % 2 == 0 ? 1 : inner }
        case .gear:
            let teeth = generator.integer(in: 8...24), root = generator.uniform(0.75...0.9)
            outer = radialOutline(count: 4 * teeth, halfWidth: halfWidth, halfHeight: halfHeight) { $0 % 4 < 2 ? 1 : root }
        case .roundedRectangle:
            let radius = min(halfWidth, halfHeight) * generator.uniform(0.05...0.6)
            outer = roundedRectangle(halfWidth: halfWidth, halfHeight: halfHeight, radius: radius)
        case .slot:
            outer = roundedRectangle(halfWidth: halfWidth, halfHeight: halfHeight, radius: min(halfWidth, halfHeight))
        case .channel:
            outer = channel(halfWidth: halfWidth, halfHeight: halfHeight, using: &generator)
        }
        let body = Profile2D(outer: outer)
        var holes = [(center: SIMD2<Float>, radius: Float)]()
        let smallest = 0.04 * min(halfWidth, halfHeight)
        for _ in 0..<maximumHoles where generator.nextUnitFloat() < 0.6 {
            let center = body.randomInteriorPoint(using: &generator)
            var room = body.distanceToBoundary(center)
            for hole in holes {
                let d = center - hole.center
                room = min(room, (d * d).sum().squareRoot() - hole.radius)
            }
            let radius = room * generator.uniform(0.3...0.75)
            if radius > smallest { holes.append((center, radius)) }
        }
        return Profile2D(outer: outer, holes: holes.map { hole in
            MeshBuilder.circle(radius: hole.radius, segments: 24).map { $0 + hole.center }
        })
    }

    /// `count` points at equal angles whose radius (relative to the ellipse of the half sizes) is
    /// `radius(index)`; star-shaped about the origin, hence a simple polygon.
    private static func radialOutline(
        count: Int, halfWidth: Float, halfHeight: Float, radius: (Int) -> Float
    ) -> [SIMD2<Float>] {
        (0..<count).map { i in
            let angle = 2 * Float.pi * Float(i) / Float(count)
            return radius(i) * SIMD2(halfWidth * cos(angle), halfHeight * sin(angle))
        }
    }

    /// A rectangle with circular corners of `radius` (a slot or stadium when it equals the smaller half size).
    private static func roundedRectangle(halfWidth: Float, halfHeight: Float, radius: Float) -> [SIMD2<Float>] {
        let inner = SIMD2(halfWidth - radius, halfHeight - radius)
        let corners: [SIMD2<Float>] = [[1, 1], [-1, 1], [-1, -1], [1, -1]]
        var outline = [SIMD2<Float>]()
        for (index, sign) in corners.enumerated() {
            let start = Float(index) * Float.pi / 2
            let arc = MeshBuilder.arc(center: inner * sign, radius: radius, from: start, to: start + .pi / 2, segments: 8)
            // Coincident points where the straight sides vanish would make zero-length edges.
            for p in arc where outline.last.map({ ((p - $0) * (p - $0)).sum() > 1e-10 }) ?? true { outline.append(p) }
        }
        if let first = outline.first, let last = outline.last, ((first - last) * (first - last)).sum() <= 1e-10 {
            outline.removeLast()
        }
        return outline
    }

    /// An L, T, U or I (double-T) section with random wall thicknesses, as found on beams and brackets.
    private static func channel(halfWidth w: Float, halfHeight h: Float, using generator: inout SeededGenerator) -> [SIMD2<Float>] {
        let web = w * generator.uniform(0.15...0.5), flange = h * generator.uniform(0.15...0.5)
        switch generator.integer(in: 0...3) {
        case 0:
            return [[-w, -h], [w, -h], [w, -h + flange], [-w + web, -h + flange], [-w + web, h], [-w, h]]
        case 1:
            return [[-web / 2, -h], [web / 2, -h], [web / 2, h - flange], [w, h - flange], [w, h], [-w, h], [-w, h - flange],
                    [-web / 2, h - flange]]
        case 2:
            return [[-w, -h], [w, -h], [w, h], [w - web, h], [w - web, -h + flange], [-w + web, -h + flange], [-w + web, h],
                    [-w, h]]
        default:
            return [[-w, -h], [w, -h], [w, -h + flange], [web / 2, -h + flange], [web / 2, h - flange], [w, h - flange], [w, h],
                    [-w, h], [-w, h - flange], [-web / 2, h - flange], [-web / 2, -h + flange], [-w, -h + flange]]
        }
    }
}
