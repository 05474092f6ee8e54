import AD3DTensor

/// Differentiable LayerNorm and row L2 normalisation.
extension Variable {
    /// LayerNorm over the last axis with affine `gamma`, `beta` (`[D]`), PyTorch semantics
    /// (biased variance, `eps` inside the root). With `x̂` the normalised row and `r` its inverse
    /// standard deviation, `dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))` where `ĝ = g ⊙ gamma`.
    public func layerNorm(gamma: Variable, beta: Variable, eps: Float = 1e-5) -> Variable {
        let width = value.lastDimension
        precondition(gamma.shape == [width] && beta.shape == [width], "layerNorm affine \(gamma.shape), \(beta.shape) for \(shape)")
        let (normalized, inverseStd) = value.standardizedRows(eps: eps)
        var output = normalized
        output.storage.withUnsafeMutableBufferPointer { y in
            gamma.value.storage.withUnsafeBufferPointer { g in
                beta.value.storage.withUnsafeBufferPointer { b in
                    for base in stride(from: 0, to: y.count, by: width) {
                        for j in 0..<width { y[base + j] = y[base + j] * g[j] + b[j] }
                    }
                }
            }
        }
        return tape.record(output, inputs: [self, gamma, beta]) { gradient in
            if beta.requiresGradient { tape.accumulate(gradient.sum(alongAxis: 0), into: beta) }
            if gamma.requiresGradient { tape.accumulate((gradient * normalized).sum(alongAxis: 0), into: gamma) }
            guard requiresGradient else { return }
            var local = gradient
            local.storage.withUnsafeMutableBufferPointer { d in
                normalized.storage.withUnsafeBufferPointer { xhat in
                    gamma.value.storage.withUnsafeBufferPointer { g in
                        for (row, base) in stride(from: 0, to: d.count, by: width).enumerated() {
                            var meanGradient: Float = 0, meanProduct: Float = 0
                            for j in 0..<width {
                                let scaled = d[base + j] * g[j]
                                d[base + j] = scaled
                                meanGradient += scaled
                                meanProduct += scaled * xhat[base + j]
                            }
                            meanGradient /= Float(width)
                            meanProduct /= Float(width)
                            let r = inverseStd[row]
                            for j in 0..<width {
                                d[base + j] = r * (d[base + j] - meanGradient - xhat[base + j] * meanProduct)
                            }
                        }
                    }
                }
            }
            tape.accumulate(local, into: self)
        }
    }

    /// Each row divided by its Euclidean norm (rows of norm below `eps` are divided by `eps`);
    /// the gradient is `(g − y · (y·g)) / ‖x‖` per row (just `g / eps` for clamped rows).
    public func l2NormalizedRows(eps: Float = 1e-12) -> Variable {
        let (output, norms) = value.l2NormalizedRows(eps: eps)
        let width = value.lastDimension
        return tape.record(output, inputs: [self]) { gradient in
            var local = gradient
            local.storage.withUnsafeMutableBufferPointer { g in
                output.storage.withUnsafeBufferPointer { y in
                    for (row, base) in stride(from: 0, to: g.count, by: width).enumerated() {
                        let norm = norms[row]
                        var dot: Float = 0
                        if norm > eps { for j in 0..<width { dot += y[base + j] * g[base + j] } }
                        let inverse = 1 / Swift.max(norm, eps)
                        for j in 0..<width { g[base + j] = (g[base + j] - y[base + j] * dot) * inverse }
                    }
                }
            }
            tape.accumulate(local, into: self)
        }
    }
}
