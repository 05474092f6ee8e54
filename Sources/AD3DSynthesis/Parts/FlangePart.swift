import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// A flange: a disc with a raised hub and a through bore (a closed profile revolved about the
/// z axis), with hexagonal bolt heads on the disc.
public struct FlangePart: ProceduralShape {
    /// Disc radius and thickness.
    public var discRadius: Float, discThickness: Float
    /// Hub radius and height above the disc.
    public var hubRadius: Float, hubHeight: Float
    /// Bore radius.
    public var boreRadius: Float
    /// Number of bolts and the across-corners radius and height of their heads.
    public var bolts: Int, boltRadius: Float, boltHeight: Float

    /// A flange 50–100 mm across with 4–8 bolts.
    public static func random(using generator: inout SeededGenerator) -> FlangePart {
        let disc = generator.uniform(25...50)
        let hub = disc * generator.uniform(0.35...0.5)
        let ringWidth = disc - hub
        return FlangePart(
            discRadius: disc, discThickness: generator.uniform(4...10), hubRadius: hub,
            hubHeight: generator.uniform(6...20), boreRadius: hub * generator.uniform(0.4...0.7),
            bolts: generator.integer(in: 4...8), boltRadius: ringWidth * generator.uniform(0.15...0.22),
            boltHeight: generator.uniform(2...5))
    }

    /// The revolved body plus the bolt heads.
    public func mesh() -> TriangleMesh {
        let top = discThickness + hubHeight
        let profile: [SIMD2<Float>] = [
            [boreRadius, 0], [discRadius, 0], [discRadius, discThickness], [hubRadius, discThickness],
            [hubRadius, top], [boreRadius, top],
        ]
        var builder = MeshBuilder()
        builder.addRevolution(profile: profile, segments: 96, closed: true)
        var head = MeshBuilder()
        head.addExtrusion(
            outline: MeshBuilder.circle(radius: boltRadius, segments: 6), z0: discThickness,
            z1: discThickness + boltHeight, bottomCap: false)
        let pitch = (hubRadius + discRadius) / 2
        for bolt in 0..<bolts {
            let angle = 2 * Float.pi * (Float(bolt) + 0.5) / Float(bolts)
            builder.append(head, transform: RigidTransform(
                axis: [0, 0, 1], angle: angle, translation: [pitch * cos(angle), pitch * sin(angle), 0]))
        }
        return builder.mesh
    }
}
