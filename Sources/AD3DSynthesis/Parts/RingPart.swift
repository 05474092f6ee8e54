import AD3DPointCloud
import AD3DSupport
import Foundation

/// A ring (torus) with an elliptical cross-section, revolved about the z axis.
public struct RingPart: ProceduralShape {
    /// Distance from the axis to the centre of the cross-section.
    public var majorRadius: Float
    /// Half-width (radial) and half-height (axial) of the cross-section.
    public var halfWidth: Float, halfHeight: Float

    /// A ring 30–80 mm across.
    public static func random(using generator: inout SeededGenerator) -> RingPart {
        let major = generator.uniform(15...35)
        let width = major * generator.uniform(0.15...0.35)
        return RingPart(majorRadius: major, halfWidth: width, halfHeight: width * generator.uniform(0.5...1.5))
    }

    /// The revolved mesh.
    public func mesh() -> TriangleMesh {
        let profile = (0..<32).map { step -> SIMD2<Float> in
            let angle = 2 * Float.pi * Float(step) / 32
            return [majorRadius + halfWidth * cos(angle), halfHeight * sin(angle)]
        }
        var builder = MeshBuilder()
        builder.addRevolution(profile: profile, segments: 96, closed: true)
        return builder.mesh
    }
}
