import AD3DPointCloud
import Foundation

/// How the twelve edges of a box are finished.
public enum EdgeTreatment: Sendable, Equatable {
    /// Sharp 90° edges.
    case sharp
    /// 45° chamfers with this leg length.
    case chamfer(Float)
    /// Quarter-round fillets of this radius (corners become sphere octants).
    case round(Float)
}

/// A solid with an exact inside test and exactly samplable surface, in its own frame (centred
/// on the origin, axis of symmetry along z).
public enum SolidPrimitive: Sendable {
    /// A box `|x| ≤ hx, |y| ≤ hy, |z| ≤ hz` with finished edges.
    case box(halfExtents: SIMD3<Float>, edges: EdgeTreatment)
    /// A truncated cone between `z = ±halfHeight` (a cylinder when the radii agree, a cone when one is 0).
    case frustum(bottomRadius: Float, topRadius: Float, halfHeight: Float)
    /// A sphere.
    case sphere(radius: Float)
    /// A ring torus about z (`majorRadius > minorRadius`).
    case torus(majorRadius: Float, minorRadius: Float)
    /// A cylinder of `radius` from `z = -halfLength` to `halfLength` with hemispherical ends.
    case capsule(radius: Float, halfLength: Float)
    /// A 2D cross-section extruded between `z = ±halfHeight`.
    case extrusion(Profile2D, halfHeight: Float)
    /// A closed `(radius, z)` profile (radius ≥ 0) revolved about z.
    case revolution(Profile2D)
    /// One of the built-in parts' closed meshes, moved so that its bounding box is centred on the origin.
    case part(ProceduralPart, mesh: TriangleMesh)

    /// A cylinder of `radius` between `z = ±halfHeight`.
    public static func cylinder(radius: Float, halfHeight: Float) -> SolidPrimitive {
        .frustum(bottomRadius: radius, topRadius: radius, halfHeight: halfHeight)
    }

    /// A short human-readable description with the main dimensions.
    public var summary: String {
        func f(_ v: Float) -> String { String(format: "%.1f", v) }
        switch self {
        case .box(let h, let edges):
            let finish: String
            switch edges {
            case .sharp: finish = ""
            case .chamfer(let c): finish = " chamfer \(f(c))"
            case .round(let r): finish = " round \(f(r))"
            }
            return "box \(f(2 * h.x))×\(f(2 * h.y))×\(f(2 * h.z))\(finish)"
        case .frustum(let r0, let r1, let hh): return "frustum r \(f(r0))→\(f(r1)) h \(f(2 * hh))"
        case .sphere(let r): return "sphere r \(f(r))"
        case .torus(let major, let minor): return "torus R \(f(major)) r \(f(minor))"
        case .capsule(let r, let hl): return "capsule r \(f(r)) l \(f(2 * hl))"
        case .extrusion(let profile, let hh):
            return "extrusion of \(profile.loops[0].count)-gon with \(profile.loops.count - 1) holes, h \(f(2 * hh))"
        case .revolution(let profile): return "revolution of \(profile.loops[0].count)-point profile"
        case .part(let part, _): return "part \(part.rawValue)"
        }
    }

    /// The axis-aligned bounding box in the primitive's frame.
    public var bounds: (min: SIMD3<Float>, max: SIMD3<Float>) {
        switch self {
        case .box(let h, _): return (-h, h)
        case .frustum(let r0, let r1, let hh):
            let r = max(r0, r1)
            return ([-r, -r, -hh], [r, r, hh])
        case .sphere(let r): return (SIMD3(repeating: -r), SIMD3(repeating: r))
        case .torus(let major, let minor):
            return ([-(major + minor), -(major + minor), -minor], [major + minor, major + minor, minor])
        case .capsule(let r, let hl): return ([-r, -r, -(hl + r)], [r, r, hl + r])
        case .extrusion(let profile, let hh):
            return ([profile.minimum.x, profile.minimum.y, -hh], [profile.maximum.x, profile.maximum.y, hh])
        case .revolution(let profile):
            let r = profile.maximum.x
            return ([-r, -r, profile.minimum.y], [r, r, profile.maximum.y])
        case .part(_, let mesh):
            let box = PointCloud(points: mesh.vertices).boundingBox ?? (.zero, .zero)
            return (box.min, box.max)
        }
    }

    /// The boundary split into exactly samplable pieces.
    func patches() -> [SurfacePatch] {
        switch self {
        case .box(let h, let edges):
            return Self.boxPatches(halfExtents: h, edges: edges)
        case .frustum(let r0, let r1, let hh):
            return Self.revolutionPatches([[0, -hh], [r0, -hh], [r1, hh], [0, hh]])
        case .sphere(let r):
            return [SurfacePatch(.sphereZone(radius: r, z0: -r, z1: r, angle: 2 * .pi))]
        case .torus(let major, let minor):
            return [SurfacePatch(.torus(major: major, minor: minor))]
        case .capsule(let r, let hl):
            return [
                SurfacePatch(.band(a: [r, -hl], b: [r, hl], angle: 2 * .pi)),
                SurfacePatch(.sphereZone(radius: r, z0: 0, z1: r, angle: 2 * .pi), origin: [0, 0, hl]),
                SurfacePatch(.sphereZone(radius: r, z0: -r, z1: 0, angle: 2 * .pi), origin: [0, 0, -hl]),
            ]
        case .extrusion(let profile, let hh):
            return [SurfacePatch(.region(profile, z: hh, up: true)), SurfacePatch(.region(profile, z: -hh, up: false))]
                + profile.edges.map { SurfacePatch(.wall(a: $0.0, b: $0.1, z0: -hh, z1: hh)) }
        case .revolution(let profile):
            return profile.loops.flatMap(Self.revolutionPatches)
        case .part(_, let mesh):
            return mesh.triangles.compactMap { t in
                let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
                let n = SynthesisGeometry.cross(b - a, c - a), length = SynthesisGeometry.length(n)
                return length > 0 ? SurfacePatch(.triangle(a, b, c, normal: n / length)) : nil
            }
        }
    }

    /// Bands swept by every edge of a closed `(radius, z)` loop.
    private static func revolutionPatches(_ loop: [SIMD2<Float>]) -> [SurfacePatch] {
        loop.indices.map { SurfacePatch(.band(a: loop[$0], b: loop[($0 + 1) % loop.count], angle: 2 * .pi)) }
    }

    /// Faces, then chamfer strips or fillet quarter-cylinders and corner octants.
    private static func boxPatches(halfExtents h: SIMD3<Float>, edges: EdgeTreatment) -> [SurfacePatch] {
        let axes: [SIMD3<Float>] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        let inset: Float
        switch edges {
        case .sharp: inset = 0
        case .chamfer(let c), .round(let c): inset = c
        }
        var patches = [SurfacePatch]()
        for i in 0..<3 {
            let j = (i + 1) % 3, k = (i + 2) % 3
            for sign: Float in [-1, 1] {
                patches.append(SurfacePatch(
                    .rectangle(width: 2 * (h[j] - inset), length: 2 * (h[k] - inset)), origin: sign * h[i] * axes[i],
                    axisX: axes[j], axisY: axes[k], axisZ: sign * axes[i]))
            }
        }
        guard inset > 0 else { return patches }
        // Edge along axis k between the faces normal to i and j.
        for k in 0..<3 {
            let i = (k + 1) % 3, j = (k + 2) % 3
            for si: Float in [-1, 1] {
                for sj: Float in [-1, 1] {
                    if case .round = edges {
                        patches.append(SurfacePatch(
                            .band(a: [inset, -h[k] + inset], b: [inset, h[k] - inset], angle: .pi / 2),
                            origin: si * (h[i] - inset) * axes[i] + sj * (h[j] - inset) * axes[j],
                            axisX: si * axes[i], axisY: sj * axes[j], axisZ: axes[k]))
                    } else {
                        let diagonal = 1 / Float(2).squareRoot()
                        patches.append(SurfacePatch(
                            .chamferStrip(width: inset * Float(2).squareRoot(), length: 2 * h[k]),
                            origin: si * (h[i] - inset / 2) * axes[i] + sj * (h[j] - inset / 2) * axes[j],
                            axisX: diagonal * (sj * axes[j] - si * axes[i]), axisY: axes[k],
                            axisZ: diagonal * (si * axes[i] + sj * axes[j])))
                    }
                }
            }
        }
        if case .round(let r) = edges {
            for corner in 0..<8 {
                let s = SIMD3<Float>(corner & 1 == 0 ? -1 : 1, corner & 2 == 0 ? -1 : 1, corner & 4 == 0 ? -1 : 1)
                patches.append(SurfacePatch(
                    .sphereZone(radius: r, z0: 0, z1: r, angle: .pi / 2), origin: s * (h - r),
                    axisX: [s.x, 0, 0], axisY: [0, s.y, 0], axisZ: [0, 0, s.z]))
            }
        }
        return patches
    }
}
