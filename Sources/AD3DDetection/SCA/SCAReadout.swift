/// How the SCA (spatial context aggregation) detector turns a patch into its score: the trained
/// discriminator's logit, the distance to a memory of clean training patches, both, or none.
public enum SCAReadout: String, Sendable, Codable, CaseIterable {
    /// The attention discriminator's standardised logit (the method as written).
    case discriminator
    /// The standardised distance from the patch's encoder feature to its nearest clean training feature.
    case memory
    /// The sum of both standardised scores.
    case combined
    /// No patch score: the surface terms alone score the points, and scans are never encoded (an
    /// ablation of everything learned, and a faster detector; needs surface deviation).
    case none

    /// Whether this read-out needs the discriminator's logits.
    public var usesDiscriminator: Bool { self == .discriminator || self == .combined }
    /// Whether this read-out needs the patch memory.
    public var usesMemory: Bool { self == .memory || self == .combined }
    /// Whether scans are encoded at all.
    public var usesEncoder: Bool { self != .none }
}
