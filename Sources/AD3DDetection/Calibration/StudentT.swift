import Foundation

/// Student's t distribution, for prediction intervals from a few normal samples.
enum StudentT {
    /// P(T ≤ x) for `degreesOfFreedom` ≥ 1: one half plus the density's integral from 0 to |x|
    /// (composite Simpson's rule, 4096 steps), reflected for negative x.
    static func cumulative(_ x: Double, degreesOfFreedom: Double) -> Double {
        let v = degreesOfFreedom
        let logNormaliser = lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi)
        func density(_ t: Double) -> Double { exp(logNormaliser - (v + 1) / 2 * log1p(t * t / v)) }
        let steps = 4096, width = abs(x) / Double(steps)
        var sum = density(0) + density(abs(x))
        for i in 1..<steps { sum += Double(i % 2 == 0 ? 2 : 4) * density(Double(i) * width) }
        let half = sum * width / 3
        return x >= 0 ? 0.5 + half : 0.5 - half
    }

    /// The `p` quantile (p in (0.5, 1)) for `degreesOfFreedom` ≥ 1, by bisection on `cumulative` to 1e-9.
    static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        precondition(p > 0.5 && p < 1 && degreesOfFreedom >= 1, "an upper probability and at least one degree of freedom")
        var low = 0.0, high = 1.0
        while cumulative(high, degreesOfFreedom: degreesOfFreedom) < p { high *= 2 }
        while high - low > 1e-9 {
            let middle = (low + high) / 2
            if cumulative(middle, degreesOfFreedom: degreesOfFreedom) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
