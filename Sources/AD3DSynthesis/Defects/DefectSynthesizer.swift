import AD3DSupport

/// Carves one defect into a clean surface sample, sized to an anomalous fraction.
public enum DefectSynthesizer {
    /// Applies a `kind` defect to `sample` aiming at `targetFraction` of the `counted` points
    /// (all points when nil) being labelled. Labels mark points that moved more than `threshold`
    /// (or, for a hole, lie on its rim). `area` is the mesh's surface area. Returns nil when this
    /// draw cannot make such a defect (the caller redraws).
    public static func apply(
        _ kind: DefectKind, to sample: SurfaceSample, counted: [Bool]? = nil, targetFraction: Double,
        threshold: Float, area: Double, using generator: inout SeededGenerator
    ) -> DefectedSample? {
        precondition(counted == nil || counted!.count == sample.count, "one counted flag per point")
        precondition(threshold > 0 && targetFraction > 0 && targetFraction < 1, "threshold and fraction out of range")
        guard sample.count > 0 else { return nil }
        let counted = counted ?? [Bool](repeating: true, count: sample.count)
        let countedCount = counted.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard countedCount > 0 else { return nil }
        let countedArea = Float(area) * Float(countedCount) / Float(sample.count)
        let context = DefectContext(
            sample: sample, counted: counted,
            target: max(1, Int((targetFraction * Double(countedCount)).rounded())),
            targetFraction: targetFraction, threshold: threshold,
            spacing: (Float(area) / Float(sample.count)).squareRoot(), countedArea: countedArea)
        switch kind {
        case .bulge: return BumpDefect.apply(context, inward: false, using: &generator)
        case .sink: return BumpDefect.apply(context, inward: true, using: &generator)
        case .hole: return HoleDefect.apply(context, using: &generator)
        case .crack: return CrackDefect.apply(context, using: &generator)
        case .cut: return CutDefect.apply(context, using: &generator)
        case .bend: return BendDefect.apply(context, using: &generator)
        }
    }
}
