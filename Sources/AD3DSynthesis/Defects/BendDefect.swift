import AD3DSupport
import AD3DTensor
import Foundation

/// Bend: the part of the object beyond a random plane is rotated by a small angle about an axis
/// lying in that plane; the points that moved more than the threshold are labelled.
enum BendDefect {
    /// Applies a bend whose labelled points number about the target.
    static func apply(_ context: DefectContext, using generator: inout SeededGenerator) -> DefectedSample? {
        let positions = context.sample.positions
        let planeNormal = SynthesisGeometry.randomDirection(using: &generator)
        let axis = SynthesisGeometry.randomTangent(to: planeNormal, using: &generator)
        let angle = (generator.next() & 1 == 0 ? 1 : -1) * generator.uniform(2...6) * Float.pi / 180
        let heights = positions.map { SynthesisGeometry.dot($0, planeNormal) }
        guard let lowest = heights.min(), let highest = heights.max(), highest > lowest else { return nil }
        let minimumArm = context.threshold / (2 * sin(abs(angle) / 2))

        // The axis passes through the plane point closest to the centroid of the bent side.
        func axisPoint(_ offset: Float) -> SIMD3<Float>? {
            var sum = SIMD3<Float>.zero, count = 0
            for i in positions.indices where heights[i] > offset {
                sum += positions[i]
                count += 1
            }
            guard count > 0 else { return nil }
            let centroid = sum / Float(count)
            return centroid - (SynthesisGeometry.dot(centroid, planeNormal) - offset) * planeNormal
        }
        func arm(_ p: SIMD3<Float>, _ point: SIMD3<Float>) -> Float {
            let v = p - point
            return SynthesisGeometry.length(v - SynthesisGeometry.dot(v, axis) * axis)
        }
        func movedCount(_ depthFromTop: Float) -> Int {
            let offset = highest - depthFromTop
            guard let point = axisPoint(offset) else { return 0 }
            var total = 0
            for i in positions.indices where context.counted[i] && heights[i] > offset && arm(positions[i], point) > minimumArm {
                total += 1
            }
            return total
        }
        let offset = highest - context.solve(0...(highest - lowest), iterations: 24, count: movedCount)
        guard let point = axisPoint(offset) else { return nil }
        let rotation = RigidTransform(axis: axis, angle: angle)
        var moved = positions
        for i in positions.indices where heights[i] > offset {
            moved[i] = rotation.rotate(positions[i] - point) + point
        }
        var parameters = DefectParameters(kind: .bend, targetFraction: context.targetFraction, center: point)
        parameters.direction = planeNormal
        parameters.axis = axis
        parameters.angleDegrees = angle * 180 / Float.pi
        return context.displaced(moved, parameters: parameters)
    }
}
