import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// The nuisances of a real scan applied to a synthesized point set: single view (facing,
/// grazing and occluded points lost), pose, scanner noise and random point order.
public enum ScanSimulator {
    /// Smallest cosine between a point's normal and its ray to the sensor for the point to be
    /// seen: real scanners lose points seen at grazing angles (too little light comes back), so
    /// points whose surface is within about 84° of edge-on are dropped.
    public static let grazingCosine: Float = 0.1
    /// How far (relative to the mesh's diagonal) a point is moved towards the sensor before its
    /// ray is cast, so that the triangle it lies on does not hide it.
    public static let rayOffset: Float = 1e-5

    /// Which points of `sample` (on the surface of `occluders`' mesh, in its frame) a sensor at
    /// `sensor` sees: those whose outward normal faces it at more than a grazing angle
    /// (`grazingCosine`) and whose straight line to it crosses no triangle of the mesh.
    public static func visibility(
        of sample: SurfaceSample, from sensor: SIMD3<Float>, occluders: MeshRayCaster
    ) -> [Bool] {
        let offset = rayOffset * occluders.diagonal
        return zip(sample.positions, sample.normals).map { point, normal in
            let ray = sensor - point, length = SynthesisGeometry.length(ray)
            guard length > 0, SynthesisGeometry.dot(normal, ray) >= grazingCosine * length else { return false }
            return !occluders.isBlocked(from: point + ray * (offset / length), to: sensor)
        }
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
