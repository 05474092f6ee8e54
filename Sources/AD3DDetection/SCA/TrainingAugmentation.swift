import AD3DPointCloud
import AD3DSupport
import AD3DSynthesis
import AD3DTensor

/// Which poses training should make the detector robust to.
public enum PoseAugmentation: String, Sendable, Codable, CaseIterable {
    /// Parts arrive roughly aligned: small random rotations only.
    case aligned
    /// Parts arrive in any orientation: uniformly random rotations.
    case any
}

/// The random changes a training scan goes through before it is encoded:
/// optionally a single view (back-facing points removed), subsampling, a rotation, a global scale
/// change and per-point jitter. All lengths are in the normalised frame (category scale = 1).
public struct TrainingAugmentation: Sendable, Codable, Equatable {
    /// Rotation range.
    public var pose: PoseAugmentation
    /// Largest rotation angle for `.aligned`, in degrees.
    public var maximumTiltDegrees: Float = 4
    /// Relative range of the global scale change (0.02 = ±2%).
    public var scaleRange: Float = 0.02
    /// Standard deviation of the per-point jitter.
    public var jitter: Float = 0.001
    /// Whether every second copy is a single view of the part: the points whose (outward, estimated)
    /// normal faces away from a random sensor direction are removed, as in a one-shot scan.
    public var partialViews = false

    /// An augmentation for the given pose setting and default magnitudes.
    public init(pose: PoseAugmentation) {
        self.pose = pose
    }

    /// Augmented copy number `copy` of `cloud` (already normalised and centred) with at most
    /// `pointCount` points, drawn from `generator`.
    public func apply(
        to cloud: PointCloud, copy: Int, pointCount: Int, using generator: inout SeededGenerator
    ) throws -> PointCloud {
        let viewed = partialViews && copy % 2 == 1 ? try Self.singleView(of: cloud, using: &generator) : cloud
        let subset = viewed.count > pointCount ? try Downsampling.random(viewed, count: pointCount, using: &generator) : viewed
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

    /// The points of `cloud` whose normal (PCA over 16 neighbours, oriented away from the
    /// centroid) faces a random sensor direction; the whole cloud if fewer than 3 points remain.
    static func singleView(of cloud: PointCloud, using generator: inout SeededGenerator) throws -> PointCloud {
        guard cloud.count >= 16 else { return cloud }
        let normals = try NormalEstimation(neighborhood: .nearest(k: 16), orientation: .awayFromCentroid)(cloud)
        let sensor = SynthesisGeometry.randomDirection(using: &generator)
        let visible = (0..<cloud.count).filter { (normals.normal(at: $0) * sensor).sum() > 0 }
        return visible.count >= 3 ? cloud.selecting(visible) : cloud
    }
}
