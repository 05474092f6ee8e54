import AD3DSupport
import Foundation

/// A planar region bounded by closed polygons: one outer loop (counter-clockwise) and any
/// number of holes (clockwise), so that the right-hand normal of every edge points out of the
/// region. Used as the cross-section of extrusions and the `(radius, z)` profile of revolutions.
public struct Profile2D: Sendable, Equatable {
    /// The loops, the outer one first; each is a closed polygon (last point joins the first).
    public private(set) var loops: [[SIMD2<Float>]]
    /// Edges of all loops as `(start, end)` pairs, for sampling and point-in-region tests.
    let edges: [(SIMD2<Float>, SIMD2<Float>)]
    /// Bounding box of the outer loop.
    public let minimum: SIMD2<Float>, maximum: SIMD2<Float>
    /// Enclosed area (outer minus holes).
    public let area: Float

    /// A profile from an outer loop and holes, re-oriented so the outer loop is counter-clockwise
    /// and holes clockwise. Loops need at least three points.
    public init(outer: [SIMD2<Float>], holes: [[SIMD2<Float>]] = []) {
        precondition(outer.count >= 3 && holes.allSatisfy { $0.count >= 3 }, "a loop needs three points")
        func oriented(_ loop: [SIMD2<Float>], counterClockwise: Bool) -> [SIMD2<Float>] {
            (Profile2D.signedArea(loop) > 0) == counterClockwise ? loop : loop.reversed()
        }
        loops = [oriented(outer, counterClockwise: true)] + holes.map { oriented($0, counterClockwise: false) }
        edges = loops.flatMap { loop in loop.indices.map { (loop[$0], loop[($0 + 1) % loop.count]) } }
        minimum = outer.reduce(outer[0], pointwiseMin)
        maximum = outer.reduce(outer[0], pointwiseMax)
        area = loops.map(Profile2D.signedArea).reduce(0, +)
    }

    /// Whether `p` lies inside the region (even–odd rule over all loops, so holes are excluded).
    @inline(__always)
    public func contains(_ p: SIMD2<Float>) -> Bool {
        guard p.x >= minimum.x, p.y >= minimum.y, p.x <= maximum.x, p.y <= maximum.y else { return false }
        var inside = false
        for (a, b) in edges where (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
            if p.x < x { inside.toggle() }
        }
        return inside
    }

    /// Distance from `p` to the nearest edge of any loop.
    public func distanceToBoundary(_ p: SIMD2<Float>) -> Float {
        var best = Float.infinity
        for (a, b) in edges {
            let d = b - a, length2 = (d * d).sum()
            let t = length2 > 0 ? min(max(((p - a) * d).sum() / length2, 0), 1) : 0
            let q = a + t * d - p
            best = min(best, (q * q).sum())
        }
        return best.squareRoot()
    }

    /// The shoelace signed area of one loop (positive when counter-clockwise).
    static func signedArea(_ loop: [SIMD2<Float>]) -> Float {
        var twice: Float = 0
        for i in loop.indices {
            let a = loop[i], b = loop[(i + 1) % loop.count]
            twice += a.x * b.y - b.x * a.y
        }
        return twice / 2
    }

    /// The unit right-hand normal of edge `a → b` (outward for correctly oriented loops).
    static func outwardNormal(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> SIMD2<Float> {
        let d = b - a, length = (d * d).sum().squareRoot()
        return length > 0 ? SIMD2(d.y, -d.x) / length : .zero
    }

    /// A uniformly random point inside the region (rejection from the bounding box; the random
    /// profiles fill a sizeable fraction of their box, so this ends after a few draws).
    func randomInteriorPoint(using generator: inout SeededGenerator) -> SIMD2<Float> {
        let extent = maximum - minimum
        while true {
            let p = minimum + extent * SIMD2(generator.nextUnitFloat(), generator.nextUnitFloat())
            if contains(p) { return p }
        }
    }

    // Tuples are not Equatable; loops determine everything else.
    public static func == (lhs: Profile2D, rhs: Profile2D) -> Bool { lhs.loops == rhs.loops }
}
