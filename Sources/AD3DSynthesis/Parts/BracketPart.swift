import AD3DPointCloud
import AD3DSupport
import AD3DTensor

/// An angle bracket: an L profile with a filleted inner corner extruded along x, with two round
/// bosses standing on the base.
public struct BracketPart: ProceduralShape {
    /// Extrusion width (x), base depth (y) and upright height (z).
    public var width: Float, depth: Float, height: Float
    /// Plate thickness and inner fillet radius.
    public var thickness: Float, fillet: Float
    /// Radius and height of the bosses.
    public var bossRadius: Float, bossHeight: Float

    /// A bracket 30–80 mm in size.
    public static func random(using generator: inout SeededGenerator) -> BracketPart {
        let thickness = generator.uniform(3...8)
        let depth = generator.uniform(30...60)
        let width = generator.uniform(30...80)
        let fillet = thickness * generator.uniform(0.8...1.5)
        let flat = depth - thickness - fillet
        return BracketPart(
            width: width, depth: depth, height: generator.uniform(30...60), thickness: thickness, fillet: fillet,
            bossRadius: min(flat * generator.uniform(0.2...0.35), width * 0.15), bossHeight: generator.uniform(2...6))
    }

    /// The extruded L profile plus the bosses.
    public func mesh() -> TriangleMesh {
        // The L in the (y, z) plane, counter-clockwise, relative to a point inside both legs so
        // that the outline is star-shaped about the origin.
        let origin = SIMD2<Float>(thickness / 2, thickness / 2)
        var outline: [SIMD2<Float>] = [[0, 0], [depth, 0], [depth, thickness]]
        outline += MeshBuilder.arc(
            center: [thickness + fillet, thickness + fillet], radius: fillet, from: -.pi / 2, to: -.pi, segments: 8)
        outline += [[thickness, height], [0, height]]
        var profile = MeshBuilder()
        profile.addExtrusion(outline: outline.map { $0 - origin }, z0: 0, z1: width)
        // Local (u, v, w) → world (x, y, z) = (w, u, v) is a proper rotation (cyclic permutation).
        let toWorld = RigidTransform(
            rotation: [0, 0, 1, 1, 0, 0, 0, 1, 0], translation: [0, origin.x, origin.y])
        var builder = MeshBuilder()
        builder.append(profile, transform: toWorld)
        var boss = MeshBuilder()
        boss.addExtrusion(
            outline: MeshBuilder.circle(radius: bossRadius, segments: 32), z0: thickness,
            z1: thickness + bossHeight, bottomCap: false)
        let y = (thickness + fillet + depth) / 2
        for x in [width * 0.3, width * 0.7] {
            builder.append(boss, transform: RigidTransform(rotation: RigidTransform.identity.rotation, translation: [x, y, 0]))
        }
        return builder.mesh
    }
}
