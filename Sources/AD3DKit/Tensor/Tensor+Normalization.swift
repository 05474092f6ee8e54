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
        let scale = gamma?.storage ?? [Float](repeating: 1, count: width)
        let shift = beta?.storage ?? [Float](repeating: 0, count: width)
        var result = self
        scale.withUnsafeBufferPointer { g in
            shift.withUnsafeBufferPointer { b in
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
                        let inverseStd = Float(1 / (squares / Double(width) + Double(eps)).squareRoot())
                        let center = Float(mean)
                        for j in 0..<width { x[base + j] = (x[base + j] - center) * inverseStd * g[j] + b[j] }
                    }
                }
            }
        }
        return result
    }
}
