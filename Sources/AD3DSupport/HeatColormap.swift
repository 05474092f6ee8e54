/// Maps anomaly scores to heat colours (blue → cyan → green → yellow → red) for viewing in
/// CloudCompare or MeshLab.
public enum HeatColormap {
    /// One RGB colour per score; scores are spread over the colour ramp between their 1st and
    /// 99th percentiles, so a few extreme points do not wash out the rest.
    public static func colors(for scores: [Float]) -> [SIMD3<UInt8>] {
        guard !scores.isEmpty else { return [] }
        let sorted = scores.filter { $0.isFinite }.sorted()
        guard let first = sorted.first, let last = sorted.last else {
            return [SIMD3<UInt8>](repeating: SIMD3(255, 0, 0), count: scores.count)
        }
        let low = sorted[Int(Double(sorted.count - 1) * 0.01)]
        let high = sorted[Int(Double(sorted.count - 1) * 0.99)]
        let (lo, hi) = high > low ? (low, high) : (first, max(last, first + 1))
        return scores.map { color(at: ($0 - lo) / (hi - lo)) }
    }

    /// One RGB colour per score on a model's fixed `scale`, the same for every scan.
    public static func colors(for scores: [Float], scale: HeatScale) -> [SIMD3<UInt8>] {
        scores.map { color(at: scale.rampPosition($0)) }
    }

    /// The ramp colour at `t` in [0, 1] (clamped; NaN maps to the hot end).
    public static func color(at t: Float) -> SIMD3<UInt8> {
        let x = t.isNaN ? 1 : min(max(t, 0), 1)
        // Piecewise-linear ramp through five stops.
        let stops: [SIMD3<Float>] = [[0, 0, 255], [0, 255, 255], [0, 255, 0], [255, 255, 0], [255, 0, 0]]
        let position = x * Float(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        let mixed = stops[index] + (stops[index + 1] - stops[index]) * (position - Float(index))
        return SIMD3(UInt8(mixed.x.rounded()), UInt8(mixed.y.rounded()), UInt8(mixed.z.rounded()))
    }
}
