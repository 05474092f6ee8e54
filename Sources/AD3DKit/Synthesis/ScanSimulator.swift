import Foundation

/// The nuisances of a real scan applied to a synthesized point set: single view, pose,
/// scanner noise and random point order.
public enum ScanSimulator {
    /// Which points a sensor in `direction` (unit, from the part towards the sensor) sees: those
    /// whose outward normal faces it.
    public static func visibility(of sample: SurfaceSample, sensor direction: SIMD3<Float>) -> [Bool] {
        sample.normals.map { SynthesisGeometry.dot($0, direction) > 0 }
    }

    /// A random pose for `mode` that keeps `center` in place (up to the jitter's shift).
    public static func pose(
        _ mode: PoseMode, center: SIMD3<Float>, diagonal: Float, using generator: inout SeededGenerator
    ) -> RigidTransform {
        let rotation: RigidTransform
        var shift = SIMD3<Float>.zero
        switch mode {
        case .aligned: return .identity
        case .jitter:
            let axis = SynthesisGeometry.randomDirection(using: &generator)
            rotation = RigidTransform(axis: axis, angle: generator.uniform(0...3) * Float.pi / 180)
            shift = 0.01 * diagonal * SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
        case .random:
            rotation = RigidTransform.randomRotation(using: &generator)
        }
        return RigidTransform(rotation: rotation.rotation, translation: center + shift - rotation.rotate(center))
    }

    /// The scan: `positions` moved by `pose`, Gaussian noise of standard deviation `sigma` added
    /// to every coordinate, then points (and their labels) shuffled.
    public static func finish(
        _ positions: [SIMD3<Float>], labels: [UInt8]?, pose: RigidTransform, sigma: Float,
        using generator: inout SeededGenerator
    ) -> PointCloud {
        var order = Array(positions.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
        var coordinates = [Float]()
        coordinates.reserveCapacity(3 * positions.count)
        for i in order {
            let p = pose.apply(positions[i])
            coordinates.append(p.x + sigma * generator.nextGaussian())
            coordinates.append(p.y + sigma * generator.nextGaussian())
            coordinates.append(p.z + sigma * generator.nextGaussian())
        }
        return PointCloud(coordinates: coordinates, labels: labels.map { l in order.map { l[$0] } })
    }
}
