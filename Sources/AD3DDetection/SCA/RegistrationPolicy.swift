import AD3DPointCloud

/// Which scans the SCA detector registers onto its reference training scan before encoding.
public enum RegistrationPolicy: String, Sendable, Codable, CaseIterable {
    /// None (models written before registration, or `--registration never`).
    case never
    /// Every scan, in training and when scoring: the parts come in any pose.
    case always
    /// Only a scan that lies off the reference (median gap over `inPoseSpacings` of its sampling
    /// spacing) and that registration fits clearly better (the gap shrinks below `improvement`
    /// times the gap where it is, and more of the scan lies within `inPoseSpacings` of the
    /// reference): the training scans share one pose, and a test scan that arrives in another is
    /// brought back to it, while one in that pose is neither disturbed by the registration's own
    /// small error nor slowed down by it.
    case misplaced

    /// The factor by which registration must shrink a scan's median gap under `.misplaced`. On the
    /// seven built-in parts (numpy prototype, gaps to the first training scan) randomly turned test
    /// scans measured 0.04–0.32 (one knob turned about its own axis 0.75), aligned and ≤ 3° tilted
    /// ones 0.56–1.3 (one knob 0.38).
    public static let improvement: Float = 0.5
    /// Median gaps below this many reference spacings mark a scan in the reference pose: no
    /// registration fits better than about one spacing (aligned and ≤ 3° tilted scans of the seven
    /// parts, registered: 0.96–1.15 spacings; where they lay: 0.98–1.63), so it could not halve them.
    public static let inPoseSpacings: Float = 1.8

    /// Whether the detector needs a reference scan.
    public var needsReference: Bool { self != .never }

    /// `cloud` (in the model frame) as the detector encodes it: moved onto the reference of
    /// `registration` when this policy says so, otherwise unchanged.
    public func apply(_ registration: RigidRegistration?, to cloud: PointCloud) throws -> PointCloud {
        guard let registration, self != .never else { return cloud }
        if self == .always { return try registration.register(cloud) }
        let stay = try registration.gap(of: cloud)
        guard stay > Self.inPoseSpacings * registration.spacing else { return cloud }
        let (transform, gap) = try registration.alignment(of: cloud)
        guard gap < Self.improvement * stay else { return cloud }
        // A view in the reference pose that shows much the reference does not (a fixture's view
        // from a jittered direction) lies off it by its median gap, yet its principal axes say
        // nothing about its pose: it moves only if that lays more of it on the reference.
        let moved = transform.apply(to: cloud)
        let reach = Self.inPoseSpacings * registration.spacing
        return try registration.overlap(of: moved, within: reach) > registration.overlap(of: cloud, within: reach) ? moved : cloud
    }
}
