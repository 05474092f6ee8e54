import AD3DSupport

/// Hole: every point within a radius of the seed point is removed, and the remaining points in
/// a band around the removed region (its rim) are labelled.
enum HoleDefect {
    /// Applies a hole whose rim band holds about the target number of counted points.
    static func apply(_ context: DefectContext, using generator: inout SeededGenerator) -> DefectedSample? {
        let sample = context.sample
        let seed = context.randomCountedIndex(using: &generator)
        let center = sample.positions[seed]
        let distances = sample.positions.map { SynthesisGeometry.length($0 - center) }
        var countedDistances = distances.indices.filter { context.counted[$0] }.map { distances[$0] }
        countedDistances.sort()
        guard let farthest = countedDistances.last, farthest > 0 else { return nil }
        let relativeBand = generator.uniform(0.25...0.5)
        func band(_ radius: Float) -> Float { max(relativeBand * radius, 2 * context.spacing) }
        func rimCount(_ radius: Float) -> Int {
            firstIndex(in: countedDistances, notBelow: radius + band(radius)) - firstIndex(in: countedDistances, notBelow: radius)
        }
        let radius = context.solve(0...farthest, count: rimCount)
        let width = band(radius)
        var kept = [Bool](repeating: true, count: sample.count)
        var labels = [UInt8](repeating: 0, count: sample.count)
        for i in distances.indices {
            if distances[i] < radius {
                kept[i] = false
            } else if distances[i] < radius + width {
                labels[i] = 1
            }
        }
        var parameters = DefectParameters(kind: .hole, targetFraction: context.targetFraction, center: center)
        parameters.radius = radius
        parameters.width = width
        return DefectedSample(positions: sample.positions, kept: kept, labels: labels, parameters: parameters)
    }

    /// Index of the first element of the sorted `values` that is not below `bound`.
    private static func firstIndex(in values: [Float], notBelow bound: Float) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
