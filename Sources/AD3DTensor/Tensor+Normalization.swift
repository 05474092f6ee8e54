/// Layer normalisation over the last axis.
extension Tensor {
    /// LayerNorm over the last axis (Ba et al. 2016, PyTorch `nn.LayerNorm` semantics):
    /// `(x - mean) / sqrt(var + eps) · gamma + beta` per row, with the biased variance.
    /// `gamma` and `beta` are rank-1 `[D]` (omit them for the unit/zero affine); the row statistics
    /// accumulate in `Double` so that rows with a large common offset keep their precision.
    public func layerNorm(gamma: Tensor? = nil, beta: Tensor? = nil, eps: Float = 1e-5) -> Tensor {
        let width = lastDimension, rows = rowCount
        precondition(rank >= 1 && width > 0, "layerNorm needs a non-empty last axis, got shape \(shape)")
        precondition(gamma == nil || gamma!.shape == [width], "layerNorm gamma \(gamma!.shape) does not match \(shape)")
        precondition(beta == nil || beta!.shape == [width], "layerNorm beta \(beta!.shape) does not match \(shape)")
        var (result, _) = standardizedRows(eps: eps)
        if gamma == nil && beta == nil { return result }
        let scale = gamma?.storage ?? [Float](repeating: 1, count: width)
        let shift = beta?.storage ?? [Float](repeating: 0, count: width)
        result.storage.withUnsafeMutableBufferPointer { x in
            for row in 0..<rows {
                let base = row * width
                for j in 0..<width { x[base + j] = x[base + j] * scale[j] + shift[j] }
            }
        }
        return result
    }
}

extension Tensor {
    /// Rows standardised to zero mean and unit variance over the last axis, with the inverse
    /// standard deviation `1/√(var + eps)` of each row (statistics accumulated in `Double`).
    package func standardizedRows(eps: Float) -> (normalized: Tensor, inverseStd: [Float]) {
        let width = lastDimension, rows = rowCount
        var result = self
        var inverseStd = [Float](repeating: 0, count: rows)
        result.storage.withUnsafeMutableBufferPointer { x in
            for row in 0..<rows {
                let base = row * width
                var sum = 0.0
                for j in 0..<width { sum += Double(x[base + j]) }
                let mean = sum / Double(width)
                var squares = 0.0
                for j in 0..<width {
                    let d = Double(x[base + j]) - mean
                    squares += d * d
                }
                let r = Float(1 / (squares / Double(width) + Double(eps)).squareRoot())
                inverseStd[row] = r
                let center = Float(mean)
                for j in 0..<width { x[base + j] = (x[base + j] - center) * r }
            }
        }
        return (result, inverseStd)
    }

    /// Every row divided by `max(‖row‖, eps)`, and the row norms.
    public func l2NormalizedRows(eps: Float = 1e-12) -> (normalized: Tensor, norms: [Float]) {
        let width = lastDimension, rows = rowCount
        var result = self
        var norms = [Float](repeating: 0, count: rows)
        result.storage.withUnsafeMutableBufferPointer { x in
            for row in 0..<rows {
                let base = row * width
                var squares: Float = 0
                for j in 0..<width { squares += x[base + j] * x[base + j] }
                let norm = squares.squareRoot()
                norms[row] = norm
                let inverse = 1 / Swift.max(norm, eps)
                for j in 0..<width { x[base + j] *= inverse }
            }
        }
        return (result, norms)
    }
}
