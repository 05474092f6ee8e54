import AD3DSupport

/// Cut (break): within a ball around the seed point, the material beyond a slightly tilted plane
/// below the surface is gone, so those points are projected onto the plane — a flattened chip.
enum CutDefect {
    /// Applies a chip whose moved points number about the target.
    static func apply(_ context: DefectContext, using generator: inout SeededGenerator) -> DefectedSample? {
        let seed = context.randomCountedIndex(using: &generator)
        let center = context.sample.positions[seed], normal = context.sample.normals[seed]
        let tilt = generator.uniform(0.2...0.8) * SynthesisGeometry.randomTangent(to: normal, using: &generator)
        let planeNormal = SynthesisGeometry.normalized(normal + tilt)
        let distances = context.facingDistances(from: center, normal: normal)
        guard let reach = context.targetQuantile(of: distances), reach > 0 else { return nil }
        let relativeDepth = generator.uniform(0.15...0.35)
        let positions = context.sample.positions
        // Height of each point above the plane through the centre, for the current radius.
        let heights = positions.map { SynthesisGeometry.dot($0 - center, planeNormal) }
        func depth(_ radius: Float) -> Float { max(relativeDepth * radius, 3 * context.threshold) }
        func movedCount(_ radius: Float) -> Int {
            let limit = context.threshold - depth(radius)
            var total = 0
            for i in positions.indices where context.counted[i] && distances[i] < radius && heights[i] > limit { total += 1 }
            return total
        }
        let radius = context.solve(0...(4 * reach), count: movedCount)
        let cutDepth = depth(radius)
        var moved = positions
        for i in positions.indices where distances[i] < radius && heights[i] + cutDepth > 0 {
            moved[i] -= (heights[i] + cutDepth) * planeNormal
        }
        var parameters = DefectParameters(kind: .cut, targetFraction: context.targetFraction, center: center)
        parameters.direction = planeNormal
        parameters.radius = radius
        parameters.depth = cutDepth
        return context.displaced(moved, parameters: parameters)
    }
}
