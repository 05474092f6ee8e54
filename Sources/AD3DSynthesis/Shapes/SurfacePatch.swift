import AD3DSupport
import Foundation

/// One analytic piece of a primitive's boundary that can be sampled uniformly by area, in a
/// local frame (`origin`, orthonormal axes) placed in the primitive's coordinates.
struct SurfacePatch: Sendable {
    /// The geometry of the piece in its local frame.
    enum Kind: Sendable {
        /// A rectangle centred on the origin in the xy plane; normal +z.
        case rectangle(width: Float, length: Float)
        /// A box-edge chamfer: a rectangle (across x, along y; normal +z) whose ends are cut to the
        /// points where three chamfers of leg `width / √2` meet.
        case chamferStrip(width: Float, length: Float)
        /// The surface swept by rotating the `(radius, z)` segment `a → b` about z through
        /// `[0, angle]`; the segment's right-hand normal is the outward one.
        case band(a: SIMD2<Float>, b: SIMD2<Float>, angle: Float)
        /// The part of the sphere of `radius` about the origin with `z0 ≤ z ≤ z1`, through `[0, angle]` about z.
        case sphereZone(radius: Float, z0: Float, z1: Float, angle: Float)
        /// A ring torus about z.
        case torus(major: Float, minor: Float)
        /// The planar region `profile` at height `z`, facing +z when `up`, else −z.
        case region(Profile2D, z: Float, up: Bool)
        /// The vertical wall over the 2D segment `a → b` between `z0` and `z1` (right-hand normal outward).
        case wall(a: SIMD2<Float>, b: SIMD2<Float>, z0: Float, z1: Float)
        /// A triangle with its outward unit normal.
        case triangle(SIMD3<Float>, SIMD3<Float>, SIMD3<Float>, normal: SIMD3<Float>)
    }

    let kind: Kind
    /// Surface area of the piece.
    let area: Float
    let origin: SIMD3<Float>, axisX: SIMD3<Float>, axisY: SIMD3<Float>, axisZ: SIMD3<Float>

    /// A piece in the given frame (identity by default); computes its area.
    init(
        _ kind: Kind, origin: SIMD3<Float> = .zero, axisX: SIMD3<Float> = [1, 0, 0], axisY: SIMD3<Float> = [0, 1, 0],
        axisZ: SIMD3<Float> = [0, 0, 1]
    ) {
        self.kind = kind
        self.origin = origin
        self.axisX = axisX
        self.axisY = axisY
        self.axisZ = axisZ
        switch kind {
        case .rectangle(let width, let length):
            area = width * length
        case .chamferStrip(let width, let length):
            let leg = width / Float(2).squareRoot()
            area = width * (length - 1.5 * leg)
        case .band(let a, let b, let angle):
            area = angle * (a.x + b.x) / 2 * Self.length(b - a)
        case .sphereZone(let radius, let z0, let z1, let angle):
            area = angle * radius * (z1 - z0)
        case .torus(let major, let minor):
            area = 4 * Float.pi * Float.pi * major * minor
        case .region(let profile, _, _):
            area = profile.area
        case .wall(let a, let b, let z0, let z1):
            area = Self.length(b - a) * (z1 - z0)
        case .triangle(let a, let b, let c, _):
            area = SynthesisGeometry.length(SynthesisGeometry.cross(b - a, c - a)) / 2
        }
    }

    /// A uniform point of the piece and its outward normal, in the primitive's coordinates.
    func sample(using generator: inout SeededGenerator) -> (point: SIMD3<Float>, normal: SIMD3<Float>) {
        let (p, n) = localSample(using: &generator)
        return (origin + p.x * axisX + p.y * axisY + p.z * axisZ, n.x * axisX + n.y * axisY + n.z * axisZ)
    }

    private func localSample(using generator: inout SeededGenerator) -> (SIMD3<Float>, SIMD3<Float>) {
        switch kind {
        case .rectangle(let width, let length):
            return ([(generator.nextUnitFloat() - 0.5) * width, (generator.nextUnitFloat() - 0.5) * length, 0], [0, 0, 1])
        case .chamferStrip(let width, let length):
            let leg = width / Float(2).squareRoot()
            while true {
                let across = generator.nextUnitFloat(), along = generator.nextUnitFloat() * length
                let cut = max(across, 1 - across) * leg
                if along >= cut && length - along >= cut {
                    return ([(across - 0.5) * width, along - length / 2, 0], [0, 0, 1])
                }
            }
        case .band(let a, let b, let angle):
            // Density along the segment grows with the radius (the swept circle's length).
            let u = generator.nextUnitFloat()
            let t: Float = abs(b.x - a.x) <= 1e-6 * (a.x + b.x)
                ? u : (((a.x * a.x + u * (b.x * b.x - a.x * a.x)).squareRoot() - a.x) / (b.x - a.x))
            let q = a + t * (b - a), n = Profile2D.outwardNormal(a, b)
            let theta = generator.nextUnitFloat() * angle, c = cos(theta), s = sin(theta)
            return ([q.x * c, q.x * s, q.y], [n.x * c, n.x * s, n.y])
        case .sphereZone(let radius, let z0, let z1, let angle):
            // Archimedes: the height is uniform on a sphere.
            let z = z0 + generator.nextUnitFloat() * (z1 - z0), rho = max(radius * radius - z * z, 0).squareRoot()
            let theta = generator.nextUnitFloat() * angle
            let p = SIMD3(rho * cos(theta), rho * sin(theta), z)
            return (p, p / radius)
        case .torus(let major, let minor):
            while true {
                let phi = 2 * Float.pi * generator.nextUnitFloat()
                let ring = major + minor * cos(phi)
                guard generator.nextUnitFloat() * (major + minor) < ring else { continue }
                let theta = 2 * Float.pi * generator.nextUnitFloat(), c = cos(theta), s = sin(theta)
                return ([ring * c, ring * s, minor * sin(phi)], [cos(phi) * c, cos(phi) * s, sin(phi)])
            }
        case .region(let profile, let z, let up):
            let q = profile.randomInteriorPoint(using: &generator)
            return ([q.x, q.y, z], [0, 0, up ? 1 : -1])
        case .wall(let a, let b, let z0, let z1):
            let q = a + generator.nextUnitFloat() * (b - a), n = Profile2D.outwardNormal(a, b)
            return ([q.x, q.y, z0 + generator.nextUnitFloat() * (z1 - z0)], [n.x, n.y, 0])
        case .triangle(let a, let b, let c, let normal):
            let r1 = generator.nextUnitFloat().squareRoot(), r2 = generator.nextUnitFloat()
            return ((1 - r1) * a + (r1 * (1 - r2)) * b + (r1 * r2) * c, normal)
        }
    }

    private static func length(_ v: SIMD2<Float>) -> Float { (v * v).sum().squareRoot() }
}
