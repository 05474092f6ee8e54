import AD3DPointCloud
import AD3DSupport
import Foundation

/// A bottle: a cylindrical body with a rounded foot, a smooth shoulder, a neck and a lip,
/// revolved about the z axis (closed at the top).
public struct BottlePart: ProceduralShape {
    /// Body radius and height.
    public var bodyRadius: Float, bodyHeight: Float
    /// Shoulder height (from body to neck).
    public var shoulderHeight: Float
    /// Neck radius and height.
    public var neckRadius: Float, neckHeight: Float
    /// Radius of the rounded foot.
    public var footRadius: Float

    /// A bottle 50–130 mm tall.
    public static func random(using generator: inout SeededGenerator) -> BottlePart {
        let body = generator.uniform(15...30)
        return BottlePart(
            bodyRadius: body, bodyHeight: generator.uniform(30...70), shoulderHeight: generator.uniform(8...25),
            neckRadius: body * generator.uniform(0.3...0.5), neckHeight: generator.uniform(8...20),
            footRadius: body * generator.uniform(0.1...0.2))
    }

    /// The revolved mesh.
    public func mesh() -> TriangleMesh {
        var profile: [SIMD2<Float>] = [[0, 0]]
        profile += MeshBuilder.arc(
            center: [bodyRadius - footRadius, footRadius], radius: footRadius, from: -.pi / 2, to: 0, segments: 6)
        let shoulderStart = bodyHeight
        for step in 1...10 {
            let t = Float(step) / 10
            let blend = (1 - cos(Float.pi * t)) / 2
            profile.append([bodyRadius + (neckRadius - bodyRadius) * blend, shoulderStart + shoulderHeight * t])
        }
        let neckTop = shoulderStart + shoulderHeight + neckHeight
        let lip = neckRadius * 0.15
        profile += [[neckRadius, neckTop], [neckRadius + lip, neckTop], [neckRadius + lip, neckTop + 2 * lip], [0, neckTop + 2 * lip]]
        var builder = MeshBuilder()
        builder.addRevolution(profile: profile, segments: 72)
        return builder.mesh
    }
}
