import AD3DPointCloud
import AD3DSupport

/// A stepped shaft: cylindrical sections of different diameters with chamfered ends and one
/// circumferential groove, revolved about the z axis.
public struct ShaftPart: ProceduralShape {
    /// Radius and length of each section, bottom to top.
    public var sections: [(radius: Float, length: Float)]
    /// Chamfer size at both ends.
    public var chamfer: Float
    /// The section holding the groove, and the groove's width and depth.
    public var groove: (section: Int, width: Float, depth: Float)

    /// A shaft of 3–4 sections with radii 5–14 mm and lengths 10–30 mm.
    public static func random(using generator: inout SeededGenerator) -> ShaftPart {
        let count = generator.integer(in: 3...4)
        let sections = (0..<count).map { _ in (generator.uniform(5...14), generator.uniform(10...30)) }
        let grooveSection = generator.integer(in: 0...(count - 1))
        let smallest = sections.map(\.0).min() ?? 5
        return ShaftPart(
            sections: sections, chamfer: generator.uniform(0.5...1.5),
            groove: (grooveSection, generator.uniform(1.5...3), generator.uniform(0.2...0.35) * smallest))
    }

    /// The revolved mesh.
    public func mesh() -> TriangleMesh {
        var profile: [SIMD2<Float>] = [[0, 0]]
        var z: Float = 0
        for (index, section) in sections.enumerated() {
            let r = section.radius
            if index == 0 {
                profile += [[r - chamfer, 0], [r, chamfer]]
            } else {
                profile.append([r, z])
            }
            if index == groove.section {
                let middle = z + section.length / 2
                let half = min(groove.width, section.length / 3) / 2
                let inner = max(r - groove.depth, r * 0.4)
                profile += [[r, middle - half], [inner, middle - half], [inner, middle + half], [r, middle + half]]
            }
            z += section.length
            profile.append(index == sections.count - 1 ? [r, z - chamfer] : [r, z])
            if index == sections.count - 1 { profile += [[r - chamfer, z], [0, z]] }
        }
        var builder = MeshBuilder()
        builder.addRevolution(profile: profile, segments: 64)
        return builder.mesh
    }
}
