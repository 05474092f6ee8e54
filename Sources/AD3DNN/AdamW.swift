import AD3DTensor
import Foundation

/// AdamW (Loshchilov & Hutter 2019, PyTorch `torch.optim.AdamW` semantics): Adam moments with
/// bias correction, and weight decay applied to the parameter directly (decoupled) as
/// `p ← p · (1 − lr·λ)` before the Adam step.
///
/// Decay applies only to the matrices of linear layers (names ending in `weight` with rank 2);
/// biases, normalisation scales, other vectors and the context prototypes are not decayed.
public struct AdamW: Sendable {
    /// Exponential decay of the first moment.
    public var beta1: Float
    /// Exponential decay of the second moment.
    public var beta2: Float
    /// Added to `√v̂` in the denominator.
    public var epsilon: Float
    /// Decoupled weight decay λ.
    public var weightDecay: Float
    var firstMoments: [String: Tensor] = [:]
    var secondMoments: [String: Tensor] = [:]
    /// Number of steps taken so far.
    public internal(set) var stepCount = 0

    /// An optimiser with PyTorch's defaults except where given.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Whether the parameter `name` of shape `shape` is decayed.
    public static func decays(name: String, shape: [Int]) -> Bool {
        shape.count == 2 && (name == "weight" || name.hasSuffix(".weight"))
    }

    /// One step on every parameter of `module` that has an entry in `gradients`, at `learningRate`.
    public mutating func step<Module: ParameterContainer>(
        _ module: inout Module, gradients: [String: Tensor], learningRate: Float
    ) {
        stepCount += 1
        let correction1 = 1 - Foundation.pow(beta1, Float(stepCount))
        let correction2 = 1 - Foundation.pow(beta2, Float(stepCount))
        module.visitParameters(prefix: "") { name, parameter in
            guard let gradient = gradients[name] else { return }
            precondition(gradient.shape == parameter.shape, "gradient of \(name) has shape \(gradient.shape), parameter \(parameter.shape)")
            let decay: Float = Self.decays(name: name, shape: parameter.shape) ? 1 - learningRate * weightDecay : 1
            var m = firstMoments[name] ?? Tensor(shape: parameter.shape)
            var v = secondMoments[name] ?? Tensor(shape: parameter.shape)
            firstMoments[name] = nil
            secondMoments[name] = nil
            update(&parameter, &m, &v, gradient, learningRate: learningRate, decay: decay,
                   correction1: correction1, correction2: correction2)
            firstMoments[name] = m
            secondMoments[name] = v
        }
    }

    private func update(
        _ parameter: inout Tensor, _ m: inout Tensor, _ v: inout Tensor, _ gradient: Tensor,
        learningRate: Float, decay: Float, correction1: Float, correction2: Float
    ) {
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let rootCorrection2 = correction2.squareRoot()
        parameter.storage.withUnsafeMutableBufferPointer { p in
            m.storage.withUnsafeMutableBufferPointer { m in
                v.storage.withUnsafeMutableBufferPointer { v in
                    gradient.storage.withUnsafeBufferPointer { g in
                        for i in p.indices {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            let denominator = v[i].squareRoot() / rootCorrection2 + eps
                            p[i] = p[i] * decay - learningRate / correction1 * m[i] / denominator
                        }
                    }
                }
            }
        }
    }
}

/// Learning rate with an optional linear warm-up followed by cosine decay (Loshchilov & Hutter 2017).
public struct CosineSchedule: Sendable, Equatable {
    /// Rate reached at the end of warm-up.
    public var peak: Float
    /// Rate at the last step.
    public var minimum: Float
    /// Steps of linear warm-up (rate `peak · (t + 1) / warmupSteps` at step `t`).
    public var warmupSteps: Int
    /// Total number of steps.
    public var totalSteps: Int

    /// A schedule over `totalSteps` steps.
    public init(peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The rate at zero-based `step`: warm-up, then `min + ½(peak − min)(1 + cos(π·p))` where
    /// `p` runs from 0 (first step after warm-up) to 1 (last step).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = Swift.max(totalSteps - warmupSteps - 1, 1)
        let progress = Double(Swift.min(step - warmupSteps, span)) / Double(span)
        return minimum + Float(0.5 * (1 + Foundation.cos(Double.pi * progress))) * (peak - minimum)
    }
}
