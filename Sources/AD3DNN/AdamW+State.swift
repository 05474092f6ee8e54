import AD3DTensor

/// The optimiser's state for checkpoints, so that a resumed run continues exactly.
extension AdamW {
    /// The first and second moments by parameter name (parameters never updated have none).
    public var moments: (first: [String: Tensor], second: [String: Tensor]) { (firstMoments, secondMoments) }

    /// Replaces the state with one taken from `moments` after `stepCount` steps.
    public mutating func restore(first: [String: Tensor], second: [String: Tensor], stepCount: Int) {
        precondition(Set(first.keys) == Set(second.keys) && stepCount >= 0, "inconsistent AdamW state")
        firstMoments = first
        secondMoments = second
        self.stepCount = stepCount
    }
}
