import AD3DSupport
import Foundation

/// What a defect needs to know about the clean sample it changes, and how big it must be.
struct DefectContext {
    /// The clean sample.
    let sample: SurfaceSample
    /// Points that count towards the anomalous fraction (the visible ones of a partial view).
    let counted: [Bool]
    /// Number of labelled counted points to aim for.
    let target: Int
    /// Fraction that `target` represents (recorded in the parameters).
    let targetFraction: Double
    /// Displacement above which a point is labelled anomalous.
    let threshold: Float
    /// Typical distance between neighbouring points, `√(area / N)`.
    let spacing: Float
    /// Surface area of the counted points.
    let countedArea: Float

    /// A random counted point's index (the defect's seed point).
    func randomCountedIndex(using generator: inout SeededGenerator) -> Int {
        let candidates = counted.indices.filter { counted[$0] }
        guard !candidates.isEmpty else { return Int(generator.next() % UInt64(sample.count)) }
        return candidates[Int(generator.next() % UInt64(candidates.count))]
    }

    /// Distance of every point to `center`, or infinity for points whose normal turns away from
    /// `normal` by more than about 100° (the far side of a thin wall must not move with this side).
    func facingDistances(from center: SIMD3<Float>, normal: SIMD3<Float>) -> [Float] {
        var distances = [Float](repeating: .infinity, count: sample.count)
        sample.positions.withUnsafeBufferPointer { positions in
            sample.normals.withUnsafeBufferPointer { normals in
                for i in 0..<positions.count where SynthesisGeometry.dot(normals[i], normal) > -0.2 {
                    distances[i] = SynthesisGeometry.length(positions[i] - center)
                }
            }
        }
        return distances
    }

    /// The `target`-th smallest of `values` over the counted points (the largest finite one if
    /// fewer are finite), or nil when none is finite.
    func targetQuantile(of values: [Float]) -> Float? {
        var countedValues = [Float]()
        countedValues.reserveCapacity(target * 2)
        for i in values.indices where counted[i] && values[i].isFinite { countedValues.append(values[i]) }
        guard !countedValues.isEmpty else { return nil }
        countedValues.sort()
        return countedValues[min(max(target, 1), countedValues.count) - 1]
    }

    /// How many counted points carry label 1.
    func countedLabels(_ labels: [UInt8]) -> Int {
        var total = 0
        for i in labels.indices where counted[i] && labels[i] != 0 { total += 1 }
        return total
    }

    /// Labels 1 where `positions` moved more than the threshold from the clean sample.
    func movedLabels(_ positions: [SIMD3<Float>]) -> [UInt8] {
        zip(positions, sample.positions).map { SynthesisGeometry.length($0 - $1) > threshold ? 1 : 0 }
    }

    /// A result that keeps every point, labelled by how far it moved.
    func displaced(_ positions: [SIMD3<Float>], parameters: DefectParameters) -> DefectedSample {
        DefectedSample(
            positions: positions, kept: [Bool](repeating: true, count: positions.count),
            labels: movedLabels(positions), parameters: parameters)
    }

    /// The value in `range` where the increasing function `count` reaches `target` (bisection).
    func solve(_ range: ClosedRange<Float>, iterations: Int = 32, count: (Float) -> Int) -> Float {
        var low = range.lowerBound, high = range.upperBound
        for _ in 0..<iterations {
            let middle = (low + high) / 2
            if count(middle) < target { low = middle } else { high = middle }
        }
        return high
    }
}
