import Foundation

/// The inside test of a primitive, with what it needs precomputed. Planar faces compare with
/// `≤` when `closed` and `<` otherwise, so that coincident faces of two operands can be
/// attributed to exactly one of them.
enum SolidContainment: Sendable {
    case box(SIMD3<Float>)
    case chamferedBox(SIMD3<Float>, leg: Float)
    case roundedBox(SIMD3<Float>, radius: Float)
    case frustum(bottomRadius: Float, topRadius: Float, halfHeight: Float)
    case sphere(Float)
    case torus(major: Float, minor: Float)
    case capsule(radius: Float, halfLength: Float)
    case extrusion(Profile2D, halfHeight: Float)
    case revolution(Profile2D)
    case mesh(MeshSolid)

    /// The test for `primitive`.
    init(_ primitive: SolidPrimitive) {
        switch primitive {
        case .box(let h, .sharp): self = .box(h)
        case .box(let h, .chamfer(let c)): self = .chamferedBox(h, leg: c)
        case .box(let h, .round(let r)): self = .roundedBox(h, radius: r)
        case .frustum(let r0, let r1, let hh): self = .frustum(bottomRadius: r0, topRadius: r1, halfHeight: hh)
        case .sphere(let r): self = .sphere(r)
        case .torus(let major, let minor): self = .torus(major: major, minor: minor)
        case .capsule(let r, let hl): self = .capsule(radius: r, halfLength: hl)
        case .extrusion(let profile, let hh): self = .extrusion(profile, halfHeight: hh)
        case .revolution(let profile): self = .revolution(profile)
        case .part(_, let mesh): self = .mesh(MeshSolid(mesh: mesh))
        }
    }

    /// Whether `p` (in the primitive's frame) is inside; boundary points count when `closed`.
    func contains(_ p: SIMD3<Float>, closed: Bool) -> Bool {
        @inline(__always) func within(_ value: Float) -> Bool { closed ? value <= 0 : value < 0 }
        let a = pointwiseMax(p, -p)
        switch self {
        case .box(let h):
            return within((a - h).max())
        case .chamferedBox(let h, let leg):
            guard within((a - h).max()) else { return false }
            let sums = SIMD3<Float>(a.x + a.y, a.y + a.z, a.z + a.x), limits = SIMD3<Float>(h.x + h.y, h.y + h.z, h.z + h.x)
            return within((sums - limits).max() + leg)
        case .roundedBox(let h, let radius):
            let q: SIMD3<Float> = a - (h - radius)
            let outside = pointwiseMax(q, SIMD3<Float>.zero)
            let distance: Float = (outside * outside).sum().squareRoot() + min(q.max(), 0)
            return within(distance - radius)
        case .frustum(let r0, let r1, let hh):
            guard within(a.z - hh) else { return false }
            let r: Float = r0 + (r1 - r0) * (p.z + hh) / (2 * hh)
            let rho2: Float = p.x * p.x + p.y * p.y
            return rho2 <= r * r
        case .sphere(let r):
            return (p * p).sum() <= r * r
        case .torus(let major, let minor):
            let ring = (p.x * p.x + p.y * p.y).squareRoot() - major
            return ring * ring + p.z * p.z <= minor * minor
        case .capsule(let r, let hl):
            let z = a.z - min(a.z, hl)
            return p.x * p.x + p.y * p.y + z * z <= r * r
        case .extrusion(let profile, let hh):
            return within(a.z - hh) && profile.contains(SIMD2(p.x, p.y))
        case .revolution(let profile):
            return profile.contains(SIMD2((p.x * p.x + p.y * p.y).squareRoot(), p.z))
        case .mesh(let solid):
            return solid.contains(p)
        }
    }
}
