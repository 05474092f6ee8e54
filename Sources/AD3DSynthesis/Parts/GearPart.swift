import AD3DPointCloud
import AD3DSupport
import Foundation

/// A spur gear: a toothed outline (trapezoidal teeth) extruded along z, with a round bore.
public struct GearPart: ProceduralShape {
    /// Number of teeth.
    public var teeth: Int
    /// Root and tip radius of the teeth.
    public var rootRadius: Float, tipRadius: Float
    /// Face width (extrusion height) and bore radius.
    public var thickness: Float, boreRadius: Float

    /// A gear 30–80 mm across with 12–30 teeth.
    public static func random(using generator: inout SeededGenerator) -> GearPart {
        let teeth = generator.integer(in: 12...30)
        let root = generator.uniform(15...35)
        let toothHeight = 2 * Float.pi * root / Float(teeth) * generator.uniform(0.35...0.55)
        return GearPart(
            teeth: teeth, rootRadius: root, tipRadius: root + toothHeight, thickness: generator.uniform(5...15),
            boreRadius: root * generator.uniform(0.2...0.45))
    }

    /// The extruded mesh.
    public func mesh() -> TriangleMesh {
        let pitch = 2 * Float.pi / Float(teeth)
        // Fractions of a tooth pitch: root land, flank up, tip land, flank down.
        let stations: [(fraction: Float, tip: Bool)] = [
            (0, false), (0.1, false), (0.2, false), (0.35, true), (0.5, true), (0.65, true), (0.8, false), (0.9, false),
        ]
        var outline = [SIMD2<Float>]()
        for tooth in 0..<teeth {
            for station in stations {
                let angle = pitch * (Float(tooth) + station.fraction)
                let radius = station.tip ? tipRadius : rootRadius
                outline.append(SIMD2(radius * cos(angle), radius * sin(angle)))
            }
        }
        var builder = MeshBuilder()
        builder.addExtrusion(outline: outline, z0: 0, z1: thickness, bore: boreRadius)
        return builder.mesh
    }
}
