/// Which poses training should make the detector robust to.
public enum PoseAugmentation: String, Sendable, Codable, CaseIterable {
    /// Parts arrive roughly aligned: small random rotations only.
    case aligned
    /// Parts arrive in any orientation: uniformly random rotations.
    case any
}

/// The random changes a training scan goes through before it is encoded (method.md, Training):
/// subsampling, a rotation, a global scale change and per-point jitter. All lengths are in the
/// normalised frame (category scale = 1).
public struct TrainingAugmentation: Sendable, Codable, Equatable {
    /// Rotation range.
    public var pose: PoseAugmentation
    /// Largest rotation angle for `.aligned`, in degrees.
    public var maximumTiltDegrees: Float = 4
    /// Relative range of the global scale change (0.02 = ±2%).
    public var scaleRange: Float = 0.02
    /// Standard deviation of the per-point jitter.
    public var jitter: Float = 0.001

    /// An augmentation for the given pose setting and default magnitudes.
    public init(pose: PoseAugmentation) {
        self.pose = pose
    }

    /// An augmented copy of `cloud` (already normalised and centred) with at most `pointCount`
    /// points, drawn from `generator`.
    public func apply(to cloud: PointCloud, pointCount: Int, using generator: inout SeededGenerator) throws -> PointCloud {
        let subset = cloud.count > pointCount ? try Downsampling.random(cloud, count: pointCount, using: &generator) : cloud
        let rotation: RigidTransform
        switch pose {
        case .aligned:
            rotation = RigidTransform(
                axis: SynthesisGeometry.randomDirection(using: &generator),
                angle: generator.uniform(0...maximumTiltDegrees) * .pi / 180)
        case .any:
            rotation = RigidTransform.randomRotation(using: &generator)
        }
        let scale = 1 + generator.uniform(-scaleRange...scaleRange)
        var coordinates = rotation.apply(toCoordinates: subset.coordinates)
        for i in coordinates.indices {
            coordinates[i] = coordinates[i] * scale + jitter * generator.nextGaussian()
        }
        return PointCloud(coordinates: coordinates)
    }
}
