import AD3DSupport
import Foundation

/// Bulge and sink: a smooth cosine bump displacing the surface along the seed point's normal
/// (outward for a bulge, inward for a sink).
enum BumpDefect {
    /// Applies a bump sized so that the points within the target quantile distance move more than
    /// the threshold and the rest less.
    static func apply(_ context: DefectContext, inward: Bool, using generator: inout SeededGenerator) -> DefectedSample? {
        let seed = context.randomCountedIndex(using: &generator)
        let center = context.sample.positions[seed], normal = context.sample.normals[seed]
        let distances = context.facingDistances(from: center, normal: normal)
        guard let labelRadius = context.targetQuantile(of: distances), labelRadius > 0 else { return nil }
        let height = max(3 * context.threshold, generator.uniform(0.1...0.3) * labelRadius)
        // d(r) = h·(1 + cos(πr/R))/2 equals the threshold exactly at r = labelRadius.
        let radius = labelRadius * Float.pi / acos(2 * context.threshold / height - 1)
        let direction = inward ? -normal : normal
        var positions = context.sample.positions
        for i in positions.indices where distances[i] < radius {
            positions[i] += (height * (1 + cos(Float.pi * distances[i] / radius)) / 2) * direction
        }
        var parameters = DefectParameters(
            kind: inward ? .sink : .bulge, targetFraction: context.targetFraction, center: center)
        parameters.direction = direction
        parameters.radius = radius
        parameters.depth = height
        return context.displaced(positions, parameters: parameters)
    }
}
