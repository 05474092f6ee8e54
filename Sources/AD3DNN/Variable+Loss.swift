import AD3DTensor
import Foundation

/// The training loss of the detector head.
extension Variable {
    /// Weighted binary cross-entropy on logits, `Σ_i w_i · (max(x_i, 0) − x_i·t_i + log(1 + e^{−|x_i|}))`,
    /// the numerically stable form (no overflow for any logit). `targets` and `weights` have one
    /// entry per element; the result is a `[1]` scalar. The gradient is `w_i · (σ(x_i) − t_i)`.
    public func binaryCrossEntropyWithLogits(targets: [Float], weights: [Float]) -> Variable {
        precondition(targets.count == value.count && weights.count == value.count,
                     "BCE: \(value.count) logits, \(targets.count) targets, \(weights.count) weights")
        var total = 0.0
        value.storage.withUnsafeBufferPointer { x in
            for i in x.indices {
                let logit = Double(x[i])
                let loss = Swift.max(logit, 0) - logit * Double(targets[i]) + Foundation.log1p(Foundation.exp(-abs(logit)))
                total += Double(weights[i]) * loss
            }
        }
        return tape.record(Tensor(shape: [1], storage: [Float(total)]), inputs: [self]) { gradient in
            let upstream = gradient.storage[0]
            var local = Tensor(shape: value.shape)
            value.storage.withUnsafeBufferPointer { x in
                local.storage.withUnsafeMutableBufferPointer { d in
                    for i in x.indices {
                        let sigmoid = 1 / (1 + Foundation.exp(-x[i]))
                        d[i] = upstream * weights[i] * (sigmoid - targets[i])
                    }
                }
            }
            tape.accumulate(local, into: self)
        }
    }
}
