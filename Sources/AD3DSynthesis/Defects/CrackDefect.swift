import AD3DSupport
import AD3DTensor
import Foundation

/// Crack: a thin groove along a random curve walked on the surface; points near the curve sink
/// along their normal with a parabolic depth profile across the groove.
enum CrackDefect {
    /// Segments of the walked curve.
    static let segments = 16

    /// Applies a crack whose labelled points number about the target.
    static func apply(_ context: DefectContext, using generator: inout SeededGenerator) -> DefectedSample? {
        let sample = context.sample
        let aspect = generator.uniform(0.03...0.08)
        let length = (Float(context.targetFraction) * context.countedArea / (2 * aspect)).squareRoot()
        let path = walk(context, length: length, using: &generator)
        guard path.count >= 3 else { return nil }
        let distances = distancesToPath(sample, path: path)
        guard let labelWidth = context.targetQuantile(of: distances), labelWidth > 0,
              labelWidth < 0.25 * length else { return nil }
        let depth = max(3 * context.threshold, generator.uniform(1...2) * labelWidth)
        // depth·(1 − (d/w)²) equals the threshold exactly at d = labelWidth.
        let width = labelWidth / (1 - context.threshold / depth).squareRoot()
        var positions = sample.positions
        for i in positions.indices where distances[i] < width {
            let relative = distances[i] / width
            positions[i] -= (depth * (1 - relative * relative)) * sample.normals[i]
        }
        var parameters = DefectParameters(kind: .crack, targetFraction: context.targetFraction, center: path[0].position)
        parameters.depth = depth
        parameters.width = width
        parameters.path = path.map(\.position)
        return context.displaced(positions, parameters: parameters)
    }

    /// A curve of `segments` steps from a random counted point: each step goes `length/segments`
    /// along the current tangent, snaps to the nearest sample point facing the same way, and turns
    /// by up to ±25° about the new normal.
    private static func walk(
        _ context: DefectContext, length: Float, using generator: inout SeededGenerator
    ) -> [(position: SIMD3<Float>, normal: SIMD3<Float>)] {
        let sample = context.sample
        var index = context.randomCountedIndex(using: &generator)
        var normal = sample.normals[index]
        var tangent = SynthesisGeometry.randomTangent(to: normal, using: &generator)
        var path = [(sample.positions[index], normal)]
        let step = length / Float(segments)
        for _ in 0..<segments {
            let goal = sample.positions[index] + step * tangent
            var best = index, bestDistance = Float.infinity
            for i in 0..<sample.count where SynthesisGeometry.dot(sample.normals[i], normal) > 0.3 {
                let d = goal - sample.positions[i]
                let squared = (d * d).sum()
                if squared < bestDistance { bestDistance = squared; best = i }
            }
            guard best != index else { break }
            let heading = sample.positions[best] - sample.positions[index]
            index = best
            normal = sample.normals[index]
            let projected = heading - SynthesisGeometry.dot(heading, normal) * normal
            guard SynthesisGeometry.length(projected) > 0 else { break }
            let turn = RigidTransform(axis: normal, angle: generator.uniform(-0.44...0.44))
            tangent = SynthesisGeometry.normalized(turn.rotate(SynthesisGeometry.normalized(projected)))
            path.append((sample.positions[index], normal))
        }
        return path
    }

    /// Distance from each point to the polyline, over the segments whose start faces like the point.
    private static func distancesToPath(
        _ sample: SurfaceSample, path: [(position: SIMD3<Float>, normal: SIMD3<Float>)]
    ) -> [Float] {
        var distances = [Float](repeating: .infinity, count: sample.count)
        for s in 0..<(path.count - 1) {
            let a = path[s].position, b = path[s + 1].position, n = path[s].normal
            let ab = b - a
            let lengthSquared = max((ab * ab).sum(), .leastNormalMagnitude)
            for i in 0..<sample.count where SynthesisGeometry.dot(sample.normals[i], n) > 0.3 {
                let ap = sample.positions[i] - a
                let t = min(max((ap * ab).sum() / lengthSquared, 0), 1)
                let d = ap - t * ab
                distances[i] = min(distances[i], (d * d).sum().squareRoot())
            }
        }
        return distances
    }
}
