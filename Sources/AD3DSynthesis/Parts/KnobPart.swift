import AD3DPointCloud
import AD3DSupport
import Foundation

/// A knob: a knurled cylinder with a domed top, revolved about the z axis with the radius
/// modulated around the circumference.
public struct KnobPart: ProceduralShape {
    /// Radius and height of the cylindrical grip.
    public var radius: Float, height: Float
    /// Height of the dome above the grip.
    public var domeHeight: Float
    /// Number of knurl ridges and their relative amplitude.
    public var ridges: Int, ridgeDepth: Float

    /// A knob 15–35 mm across with 12–30 ridges.
    public static func random(using generator: inout SeededGenerator) -> KnobPart {
        let radius = generator.uniform(8...18)
        return KnobPart(
            radius: radius, height: generator.uniform(8...20), domeHeight: radius * generator.uniform(0.2...0.6),
            ridges: generator.integer(in: 12...30), ridgeDepth: generator.uniform(0.02...0.05))
    }

    /// The revolved, knurled mesh.
    public func mesh() -> TriangleMesh {
        var profile: [SIMD2<Float>] = [[0, 0], [radius, 0], [radius, height]]
        for step in 1...12 {
            let angle = Float.pi / 2 * Float(step) / 12
            profile.append([max(0, radius * cos(angle)), height + domeHeight * sin(angle)])
        }
        var builder = MeshBuilder()
        let ridges = Float(self.ridges), depth = ridgeDepth
        builder.addRevolution(profile: profile, segments: 8 * self.ridges) { angle in
            1 - depth * (1 - cos(ridges * angle)) / 2
        }
        return builder.mesh
    }
}
