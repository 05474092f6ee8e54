/// Where scores fall on the heat colour ramp for one model, the same for every scan: a typical
/// clean point is blue, the point threshold yellow, and scores as far again beyond it red.
public struct HeatScale: Sendable, Equatable {
    /// Ramp position of the threshold (yellow on `HeatColormap`'s ramp).
    public static let thresholdPosition: Float = 0.75

    /// The score drawn blue: the median point score of clean scans.
    public var median: Float
    /// The score drawn yellow: the point threshold.
    public var threshold: Float

    /// A scale from the clean median to the threshold (a threshold at or below the median is
    /// taken one unit above it).
    public init(median: Float, threshold: Float) {
        self.median = median
        self.threshold = threshold > median ? threshold : median + 1
    }

    /// The ramp position of `score` in [0, 1]: linear from the median (0) to the threshold
    /// (`thresholdPosition`), then on to 1 at the threshold plus its distance from the median.
    public func rampPosition(_ score: Float) -> Float {
        let t = (score - median) / (threshold - median)
        guard !t.isNaN else { return 1 }
        return t < 1 ? Self.thresholdPosition * max(t, 0) : Self.thresholdPosition + (1 - Self.thresholdPosition) * min(t - 1, 1)
    }
}
