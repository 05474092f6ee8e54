/// Which scans the SCA detector registers onto its reference training scan before encoding.
public enum RegistrationPolicy: String, Sendable, Codable, CaseIterable {
    /// None (models written before registration, or `--registration never`).
    case never
    /// Every scan, in training and when scoring: the parts come in any pose.
    case always
    /// Only a scan that registration fits clearly better than it lies (its median gap to the
    /// reference shrinks below `improvement` of the gap where it is): the training scans share one
    /// pose, and a test scan that arrives in another is brought back to it, while one in that pose
    /// is not disturbed by the registration's own small error.
    case misplaced

    /// The factor by which registration must shrink a scan's median gap under `.misplaced`.
    public static let improvement: Float = 0.8

    /// Whether the detector needs a reference scan.
    public var needsReference: Bool { self != .never }

    /// `cloud` (in the model frame) as the detector encodes it: moved onto the reference of
    /// `registration` when this policy says so, otherwise unchanged.
    public func apply(_ registration: RigidRegistration?, to cloud: PointCloud) throws -> PointCloud {
        guard let registration, self != .never else { return cloud }
        let (transform, gap) = try registration.alignment(of: cloud)
        let moves = try self == .always || gap < Self.improvement * registration.gap(of: cloud)
        return moves ? transform.apply(to: cloud) : cloud
    }
}
