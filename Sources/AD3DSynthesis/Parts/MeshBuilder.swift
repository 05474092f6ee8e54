import AD3DPointCloud
import AD3DTensor
import Foundation

/// Accumulates triangles for the procedural parts: surfaces of revolution, extruded 2D
/// outlines and their transformed copies. Triangles are wound so that their right-hand normal
/// points out of the solid; vertices are not shared between primitives (sampling needs none).
public struct MeshBuilder: Sendable {
    /// Vertices so far.
    public private(set) var vertices = [SIMD3<Float>]()
    /// Triangles so far (indices into `vertices`).
    public private(set) var triangles = [SIMD3<Int32>]()

    /// An empty builder.
    public init() {}

    /// The accumulated mesh.
    public var mesh: TriangleMesh { TriangleMesh(vertices: vertices, triangles: triangles) }

    /// Adds triangle `a, b, c` (counter-clockwise seen from outside).
    public mutating func addTriangle(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>) {
        let base = Int32(vertices.count)
        vertices += [a, b, c]
        triangles.append(SIMD3(base, base + 1, base + 2))
    }

    /// Adds quad `a, b, c, d` (counter-clockwise seen from outside) as two triangles.
    public mutating func addQuad(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>, _ d: SIMD3<Float>) {
        addTriangle(a, b, c)
        addTriangle(a, c, d)
    }

    /// Adds quad `a, b, c, d` that need not be planar (a twisted wall) as four triangles around
    /// its centre: this encloses the same volume as the bilinear patch through the corners, where
    /// two triangles would thin or thicken the solid depending on the diagonal chosen.
    public mutating func addSkewQuad(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>, _ d: SIMD3<Float>) {
        let centre = (a + b + c + d) / 4
        addTriangle(a, b, centre)
        addTriangle(b, c, centre)
        addTriangle(c, d, centre)
        addTriangle(d, a, centre)
    }

    /// Appends `other`'s triangles mapped by `transform` (a rotation-and-translation).
    public mutating func append(_ other: MeshBuilder, transform: RigidTransform = .identity) {
        let base = Int32(vertices.count)
        vertices += other.vertices.map { transform.apply($0) }
        triangles += other.triangles.map { $0 &+ SIMD3(repeating: base) }
    }

    /// Adds the surface swept by rotating `profile` (points `(radius, z)`, radius ≥ 0) about the
    /// z axis in `segments` steps. Walk the profile so that the solid lies on its left
    /// (e.g. outer wall bottom to top, then the top face inward). `radiusScale(angle)` multiplies
    /// every radius at that angle (knurls, lobes); `closed` joins the last profile point to the first.
    public mutating func addRevolution(
        profile: [SIMD2<Float>], segments: Int, closed: Bool = false,
        radiusScale: (Float) -> Float = { _ in 1 }
    ) {
        precondition(profile.count >= 2 && segments >= 3, "a revolution needs two profile points and three segments")
        let angles = (0...segments).map { 2 * Float.pi * Float($0 % segments) / Float(segments) }
        let scales = angles.map(radiusScale)
        func point(_ p: SIMD2<Float>, _ j: Int) -> SIMD3<Float> {
            let r = p.x * scales[j]
            return SIMD3(r * cos(angles[j]), r * sin(angles[j]), p.y)
        }
        let edges = closed ? profile.count : profile.count - 1
        for i in 0..<edges {
            let lower = profile[i], upper = profile[(i + 1) % profile.count]
            for j in 0..<segments {
                addQuad(point(lower, j), point(lower, j + 1), point(upper, j + 1), point(upper, j))
            }
        }
    }

    /// Adds a prism between `z0` and `z1` whose cross-section is `outline` (counter-clockwise,
    /// star-shaped about the origin) minus an optional `bore` circle of that radius at the origin.
    /// `bottomCap: false` leaves the bottom open (for a boss standing on another face).
    public mutating func addExtrusion(
        outline: [SIMD2<Float>], z0: Float, z1: Float, bore: Float? = nil, bottomCap: Bool = true
    ) {
        precondition(outline.count >= 3 && z1 > z0, "an extrusion needs three outline points and positive height")
        let count = outline.count
        let inner: [SIMD2<Float>] = outline.map { p in
            guard let bore else { return .zero }
            let length = (p * p).sum().squareRoot()
            return length > 0 ? p * (bore / length) : .zero
        }
        func lift(_ p: SIMD2<Float>, _ z: Float) -> SIMD3<Float> { SIMD3(p.x, p.y, z) }
        for j in 0..<count {
            let k = (j + 1) % count
            let a = outline[j], b = outline[k], ia = inner[j], ib = inner[k]
            addQuad(lift(a, z0), lift(b, z0), lift(b, z1), lift(a, z1))
            if bore != nil {
                addQuad(lift(ia, z1), lift(ib, z1), lift(ib, z0), lift(ia, z0))
                addQuad(lift(ia, z1), lift(a, z1), lift(b, z1), lift(ib, z1))
                if bottomCap { addQuad(lift(ia, z0), lift(ib, z0), lift(b, z0), lift(a, z0)) }
            } else {
                addTriangle(lift(.zero, z1), lift(a, z1), lift(b, z1))
                if bottomCap { addTriangle(lift(.zero, z0), lift(b, z0), lift(a, z0)) }
            }
        }
    }

    /// Adds a solid swept along z through cross-sections `levels` minus a bore of radius `bore`
    /// about the z axis. Each level is an `outline` (counter-clockwise, star-shaped about the origin,
    /// the same vertex count at every level) turned by `turn` radians about z at height `z`
    /// (non-decreasing). Consecutive levels are joined vertex to vertex: at different heights by a
    /// side wall, at the same height by a flat step (a shoulder, the end of a blade). The first and
    /// last levels are capped. The bore is the first outline projected onto its circle, turned
    /// with each level, so that its wall is continuous across steps.
    public mutating func addLoft(levels: [(outline: [SIMD2<Float>], z: Float, turn: Float)], bore: Float) {
        let count = levels.first?.outline.count ?? 0
        precondition(levels.count >= 2 && count >= 3, "a loft needs two levels of three outline points")
        precondition(levels.allSatisfy { $0.outline.count == count }, "every level needs the same vertex count")
        precondition(zip(levels, levels.dropFirst()).allSatisfy { $0.z <= $1.z } && levels[0].z < levels[levels.count - 1].z,
                     "levels must rise")
        let boreRing = Self.projected(levels[0].outline, onto: bore)
        let outer = levels.map { level in level.outline.map { Self.lift($0, turn: level.turn, z: level.z) } }
        let inner = levels.map { level in boreRing.map { Self.lift($0, turn: level.turn, z: level.z) } }
        for i in 0..<(levels.count - 1) {
            let twisted = levels[i].turn != levels[i + 1].turn
            for j in 0..<count {
                let k = (j + 1) % count
                let wall = [outer[i][j], outer[i][k], outer[i + 1][k], outer[i + 1][j]]
                let boreWall = [inner[i + 1][j], inner[i + 1][k], inner[i][k], inner[i][j]]
                for quad in levels[i].z < levels[i + 1].z ? [wall, boreWall] : [wall] {
                    if twisted {
                        addSkewQuad(quad[0], quad[1], quad[2], quad[3])
                    } else {
                        addQuad(quad[0], quad[1], quad[2], quad[3])
                    }
                }
            }
        }
        let last = levels.count - 1
        for j in 0..<count {
            let k = (j + 1) % count
            addQuad(inner[0][j], inner[0][k], outer[0][k], outer[0][j])
            addQuad(inner[last][j], outer[last][j], outer[last][k], inner[last][k])
        }
    }

    /// `p` turned by `turn` radians about the origin, at height `z`.
    private static func lift(_ p: SIMD2<Float>, turn: Float, z: Float) -> SIMD3<Float> {
        let c = cos(turn), s = sin(turn)
        return SIMD3(c * p.x - s * p.y, s * p.x + c * p.y, z)
    }

    /// Every point of `outline` moved along its ray from the origin onto the circle of `radius`.
    public static func projected(_ outline: [SIMD2<Float>], onto radius: Float) -> [SIMD2<Float>] {
        outline.map { p in
            let length = (p * p).sum().squareRoot()
            return length > 0 ? p * (radius / length) : .zero
        }
    }

    /// A circle of `radius` with `count` evenly spaced radial tabs, counter-clockwise, the first
    /// centred on +x: each tab leaves the circle at ± `halfAngle` about its centre line and ends at
    /// distance `reach` from the origin at ± `endHalfAngle` (`reach` beyond the radius: blades,
    /// teeth; inside it: slots). The circle between tabs takes `arcSegments` steps. With `reach` =
    /// `radius` and `endHalfAngle` = `halfAngle` the tabs vanish but the vertex count stays (for
    /// lofts). Star-shaped about the origin when `endHalfAngle` ≤ `halfAngle`.
    public static func tabbedCircle(
        radius: Float, tabs count: Int, halfAngle: Float, reach: Float, endHalfAngle: Float, arcSegments: Int
    ) -> [SIMD2<Float>] {
        precondition(count >= 1 && arcSegments >= 1 && halfAngle < Float.pi / Float(count), "tabs must not overlap")
        let pitch = 2 * Float.pi / Float(count)
        func polar(_ r: Float, _ angle: Float) -> SIMD2<Float> { SIMD2(r * cos(angle), r * sin(angle)) }
        var outline = [SIMD2<Float>]()
        for tab in 0..<count {
            let center = pitch * Float(tab)
            outline += [
                polar(radius, center - halfAngle), polar(reach, center - endHalfAngle),
                polar(reach, center + endHalfAngle), polar(radius, center + halfAngle),
            ]
            let gap = pitch - 2 * halfAngle
            for step in 1..<arcSegments {
                outline.append(polar(radius, center + halfAngle + gap * Float(step) / Float(arcSegments)))
            }
        }
        return outline
    }

    /// Points of a circle of `radius` in `segments` steps, counter-clockwise from the +x axis.
    public static func circle(radius: Float, segments: Int) -> [SIMD2<Float>] {
        (0..<segments).map { j in
            let angle = 2 * Float.pi * Float(j) / Float(segments)
            return SIMD2(radius * cos(angle), radius * sin(angle))
        }
    }

    /// `segments + 1` points of a circular arc from `start` to `end` angle (radians) about `center`.
    public static func arc(
        center: SIMD2<Float>, radius: Float, from start: Float, to end: Float, segments: Int
    ) -> [SIMD2<Float>] {
        (0...segments).map { j in
            let angle = start + (end - start) * Float(j) / Float(segments)
            return center + radius * SIMD2(cos(angle), sin(angle))
        }
    }
}
