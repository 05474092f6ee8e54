/// Which scans the SCA detector registers onto its reference training scan before encoding.
public enum RegistrationPolicy: String, Sendable, Codable, CaseIterable {
    /// None (models written before registration, or `--registration never`).
    case never
    /// Every scan, in training and when scoring: the parts come in any pose.
    case always
    /// Only a scan that does not lie on the reference where it is (median gap above
    /// `RigidRegistration.misplacedGap`): the training scans share one pose, and a test scan that
    /// arrives in another is brought back to it.
    case misplaced

    /// Whether the detector needs a reference scan.
    public var needsReference: Bool { self != .never }

    /// `cloud` (in the model frame) as the detector encodes it: moved onto the reference of
    /// `registration` when this policy says so, otherwise unchanged.
    public func apply(_ registration: RigidRegistration?, to cloud: PointCloud) throws -> PointCloud {
        guard let registration, self != .never else { return cloud }
        let moves = try self == .always || registration.isMisplaced(cloud)
        return moves ? try registration.register(cloud) : cloud
    }
}
