import Foundation

/// The standard normal distribution.
enum StandardNormal {
    /// Φ(x), the probability that a standard normal value is at most `x`.
    static func cumulative(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// Φ⁻¹(p) for p in (0, 1), by bisection on `cumulative` to within 1e-12.
    static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a probability in (0, 1)")
        var low = -40.0, high = 40.0
        while high - low > 1e-12 {
            let middle = (low + high) / 2
            if cumulative(middle) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
