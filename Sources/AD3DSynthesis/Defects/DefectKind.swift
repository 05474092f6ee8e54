/// The defect types of Anomaly-ShapeNet, each a local change of the surface.
public enum DefectKind: String, Sendable, CaseIterable, Codable {
    /// Smooth outward bump along the surface normal.
    case bulge
    /// Smooth inward dent (concavity).
    case sink
    /// Missing region; the points on its rim are labelled.
    case hole
    /// Thin groove along a random curve on the surface.
    case crack
    /// Flattened chip: points beyond a plane projected onto it.
    case cut
    /// Part of the object rotated by a small angle about an axis.
    case bend
}

/// Everything needed to reproduce one defect, in the part's own frame (before pose and noise).
/// Only the fields a defect type uses are set.
public struct DefectParameters: Sendable, Equatable, Codable {
    /// The defect type.
    public var kind: DefectKind
    /// Anomalous fraction the draw aimed at (the achieved one is in the sample record).
    public var targetFraction: Double
    /// Centre of the defect (bend: a point on its axis).
    public var center: SIMD3<Float>
    /// Displacement direction (bulge, sink), cutting-plane normal (cut) or bend-plane normal.
    public var direction: SIMD3<Float>?
    /// Support radius of the bump or chip, or the radius of the removed region (hole).
    public var radius: Float?
    /// Peak displacement (bulge, sink), groove depth (crack) or depth of the cutting plane (cut).
    public var depth: Float?
    /// Width of the labelled rim band (hole) or half-width of the groove (crack).
    public var width: Float?
    /// Rotation angle in degrees (bend).
    public var angleDegrees: Float?
    /// Rotation axis direction (bend).
    public var axis: SIMD3<Float>?
    /// The groove's centre line (crack).
    public var path: [SIMD3<Float>]?

    /// Parameters of a `kind` defect at `center`; the optional fields are set by the defect.
    public init(kind: DefectKind, targetFraction: Double, center: SIMD3<Float>) {
        self.kind = kind
        self.targetFraction = targetFraction
        self.center = center
    }
}

/// A surface sample after one defect: every point's new position, which points remain, and
/// labels (1 where the point moved more than the label threshold or borders a hole).
public struct DefectedSample: Sendable, Equatable {
    /// Positions of all points of the clean sample, displaced (same order).
    public var positions: [SIMD3<Float>]
    /// Whether each point remains (false for points removed by a hole).
    public var kept: [Bool]
    /// Per-point labels (0 for removed points).
    public var labels: [UInt8]
    /// The defect's parameters.
    public var parameters: DefectParameters
}
