import AD3DSupport
import Foundation

/// Random `(radius, z)` profiles for turned parts: stepped or tapered sections, optional edge
/// chamfers, an optional axial bore and an optional domed top.
enum RevolutionProfile {
    /// A closed profile within radius `radius` and `z ∈ [-halfHeight, halfHeight]` (plus a dome).
    static func random(radius: Float, halfHeight: Float, using generator: inout SeededGenerator) -> Profile2D {
        let sections = generator.integer(in: 1...4)
        var radii = (0..<sections).map { _ in radius * generator.uniform(0.35...1) }
        radii[generator.integer(in: 0...(sections - 1))] = radius
        // Section lengths within a factor 3 of each other keep every section longer than the chamfers.
        let lengths = (0..<sections).map { _ in generator.uniform(0.5...1.5) }
        let total = lengths.reduce(0, +)
        var heights: [Float] = [-halfHeight]
        for length in lengths { heights.append(heights[heights.count - 1] + 2 * halfHeight * length / total) }
        let thinnest = radii.min() ?? radius
        let bore = generator.nextUnitFloat() < 0.35 ? thinnest * generator.uniform(0.2...0.6) : 0
        let chamfer = min(thinnest - bore, halfHeight / Float(sections)) * generator.uniform(0...0.25)

        var outline: [SIMD2<Float>] = [[bore, -halfHeight]]
        outline += chamfer > 0 ? [[radii[0] - chamfer, -halfHeight], [radii[0], -halfHeight + chamfer]] : [[radii[0], -halfHeight]]
        for index in 1..<sections {
            let z = heights[index], span = heights[index + 1] - heights[index]
            if generator.nextUnitFloat() < 0.7 {
                outline += [[radii[index - 1], z], [radii[index], z]]
            } else {
                // A taper from the previous radius reaching the new one part-way up the section.
                outline.append([radii[index], z + span * generator.uniform(0.1...0.5)])
            }
        }
        let top = radii[sections - 1]
        if bore == 0 && generator.nextUnitFloat() < 0.3 {
            let dome = top * generator.uniform(0.2...0.8)
            outline += (0...8).map { step in
                let angle = Float.pi / 2 * Float(step) / 8
                return [top * cos(angle), halfHeight + dome * sin(angle)]
            }
        } else {
            outline += chamfer > 0 ? [[top, halfHeight - chamfer], [top - chamfer, halfHeight]] : [[top, halfHeight]]
            outline.append([bore, halfHeight])
        }
        return Profile2D(outer: outline)
    }
}
