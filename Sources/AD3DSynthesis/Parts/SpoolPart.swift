import AD3DPointCloud
import AD3DSupport
import Foundation

/// A spool: a core barrel between two flanges with a through bore, revolved about the z axis,
/// with evenly spaced radial slots cut into both flanges' rims. Built as one loft, so flanges
/// and barrel share no internal faces.
public struct SpoolPart: ProceduralShape {
    /// Flange radius and thickness.
    public var flangeRadius: Float, flangeThickness: Float
    /// Barrel radius and overall length (flange to flange, outer faces).
    public var barrelRadius: Float, length: Float
    /// Bore radius.
    public var boreRadius: Float
    /// Number of slots per flange, their half-angle and their depth from the rim.
    public var slots: Int, slotHalfAngle: Float, slotDepth: Float

    /// A spool 40–80 mm across and 30–80 mm long with 4–12 slots per flange.
    public static func random(using generator: inout SeededGenerator) -> SpoolPart {
        let flange = generator.uniform(20...40)
        let barrel = flange * generator.uniform(0.45...0.7)
        let thickness = generator.uniform(3...8)
        let slots = generator.integer(in: 4...12)
        return SpoolPart(
            flangeRadius: flange, flangeThickness: thickness, barrelRadius: barrel,
            length: 2 * thickness + generator.uniform(20...60), boreRadius: barrel * generator.uniform(0.4...0.7),
            slots: slots, slotHalfAngle: Float.pi / Float(slots) * generator.uniform(0.15...0.35),
            slotDepth: (flange - barrel) * generator.uniform(0.25...0.5))
    }

    /// The lofted mesh: slotted flange, step in to the barrel, barrel, step out, slotted flange.
    public func mesh() -> TriangleMesh {
        let flange = MeshBuilder.tabbedCircle(
            radius: flangeRadius, tabs: slots, halfAngle: slotHalfAngle, reach: flangeRadius - slotDepth,
            endHalfAngle: slotHalfAngle, arcSegments: max(3, 96 / slots))
        let barrel = MeshBuilder.projected(flange, onto: barrelRadius)
        let inner = length - flangeThickness
        var builder = MeshBuilder()
        builder.addLoft(
            levels: [
                (flange, 0, 0), (flange, flangeThickness, 0), (barrel, flangeThickness, 0), (barrel, inner, 0),
                (flange, inner, 0), (flange, length, 0),
            ],
            bore: boreRadius)
        return builder.mesh
    }
}
