import AD3DTensor
import Foundation

/// Differentiable activations and the row softmax.
extension Variable {
    /// Exact GELU `0.5 · x · (1 + erf(x / √2))`; its derivative is `Φ(x) + x · φ(x)`.
    public func gelu() -> Variable {
        tape.record(value.gelu(), inputs: [self]) { gradient in
            var local = value
            let inverseRoot2 = Float(0.5).squareRoot(), inverseRoot2Pi = 1 / Float(2 * Double.pi).squareRoot()
            local.storage.withUnsafeMutableBufferPointer { x in
                gradient.storage.withUnsafeBufferPointer { g in
                    for i in x.indices {
                        let v = x[i]
                        let cdf = 0.5 * (1 + Foundation.erf(v * inverseRoot2))
                        x[i] = g[i] * (cdf + v * inverseRoot2Pi * Foundation.exp(-0.5 * v * v))
                    }
                }
            }
            tape.accumulate(local, into: self)
        }
    }

    /// ReLU `max(x, 0)`; the gradient passes where the input is positive.
    public func relu() -> Variable {
        tape.record(value.relu(), inputs: [self]) { gradient in
            var local = gradient
            value.storage.withUnsafeBufferPointer { x in
                local.storage.withUnsafeMutableBufferPointer { g in
                    for i in g.indices where x[i] <= 0 { g[i] = 0 }
                }
            }
            tape.accumulate(local, into: self)
        }
    }

    /// Softmax over the last axis; the gradient is `y ⊙ (g − Σ_j g_j y_j)` per row.
    public func softmax() -> Variable {
        let output = value.softmax()
        return tape.record(output, inputs: [self]) { gradient in
            var local = gradient
            let width = output.lastDimension
            output.storage.withUnsafeBufferPointer { y in
                local.storage.withUnsafeMutableBufferPointer { g in
                    for base in stride(from: 0, to: g.count, by: width) {
                        var dot: Float = 0
                        for j in 0..<width { dot += g[base + j] * y[base + j] }
                        for j in 0..<width { g[base + j] = y[base + j] * (g[base + j] - dot) }
                    }
                }
            }
            tape.accumulate(local, into: self)
        }
    }
}
