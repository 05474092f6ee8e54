import AD3DPointCloud
import AD3DSupport
import Foundation

/// A bladed rotor (an axial fan or turbine wheel): a hub with a through bore and evenly spaced
/// thin blades, each twisted about the axis along its length (a pitched helical blade), with the
/// hub standing out above and below the blades. Built as one loft, so hub and blades share no
/// internal faces.
public struct RotorPart: ProceduralShape {
    /// Hub radius, bore radius and blade tip radius.
    public var hubRadius: Float, boreRadius: Float, tipRadius: Float
    /// Number of blades and their thickness.
    public var blades: Int, bladeThickness: Float
    /// Axial length of the blades and of the hub collars below and above them.
    public var bladeLength: Float, collarLength: Float
    /// Angle (radians) the blades turn about the axis from their lower to their upper end.
    public var twist: Float

    /// Loft levels along the twisted blades.
    private static let twistSteps = 8

    /// A rotor 30–90 mm across with 5–16 blades twisted by 15–45°.
    public static func random(using generator: inout SeededGenerator) -> RotorPart {
        let hub = generator.uniform(8...15)
        let blades = generator.integer(in: 5...16)
        let rootGap = 2 * Float.pi * hub / Float(blades)
        let bladeLength = generator.uniform(10...30)
        return RotorPart(
            hubRadius: hub, boreRadius: hub * generator.uniform(0.3...0.6), tipRadius: hub * generator.uniform(1.8...2.8),
            blades: blades, bladeThickness: rootGap * generator.uniform(0.12...0.25), bladeLength: bladeLength,
            collarLength: bladeLength * generator.uniform(0.15...0.35), twist: generator.uniform(15...45) * .pi / 180)
    }

    /// The lofted mesh: the bare hub up to the blades, a step out to the blade section, the
    /// section turned in `twistSteps` levels, a step back to the hub, the hub to the top.
    public func mesh() -> TriangleMesh {
        let halfAngle = asin(bladeThickness / 2 / hubRadius)
        let arcSegments = max(3, 96 / blades)
        let bladed = MeshBuilder.tabbedCircle(
            radius: hubRadius, tabs: blades, halfAngle: halfAngle, reach: tipRadius,
            endHalfAngle: asin(bladeThickness / 2 / tipRadius), arcSegments: arcSegments)
        let bare = MeshBuilder.tabbedCircle(
            radius: hubRadius, tabs: blades, halfAngle: halfAngle, reach: hubRadius, endHalfAngle: halfAngle,
            arcSegments: arcSegments)
        let bottom = collarLength, top = collarLength + bladeLength
        var levels = [(outline: bare, z: Float(0), turn: Float(0)), (bare, bottom, 0)]
        for step in 0...Self.twistSteps {
            let t = Float(step) / Float(Self.twistSteps)
            levels.append((bladed, bottom + bladeLength * t, twist * t))
        }
        levels += [(bare, top, twist), (bare, top + collarLength, twist)]
        var builder = MeshBuilder()
        builder.addLoft(levels: levels, bore: boreRadius)
        return builder.mesh
    }
}
