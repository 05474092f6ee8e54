import Foundation

/// Pointwise activations and the row softmax used by attention.
extension Tensor {
    /// Softmax over the last axis: each row is shifted by its maximum before `exp` so that large
    /// logits cannot overflow, then divided by its (Float-accumulated) sum.
    public func softmax() -> Tensor {
        var result = self
        result.formSoftmax()
        return result
    }

    /// In-place softmax over the last axis (see `softmax()`).
    public mutating func formSoftmax() {
        let width = lastDimension, rows = rowCount
        guard width > 0 else { return }
        storage.withUnsafeMutableBufferPointer { x in
            for row in 0..<rows {
                let base = row * width
                var peak = x[base]
                for j in 1..<width { peak = Swift.max(peak, x[base + j]) }
                var total: Float = 0
                for j in 0..<width {
                    let e = Foundation.exp(x[base + j] - peak)
                    x[base + j] = e
                    total += e
                }
                let inverse = 1 / total
                for j in 0..<width { x[base + j] *= inverse }
            }
        }
    }

    /// GELU in its exact form `0.5 · x · (1 + erf(x / √2))`, as PyTorch's `nn.GELU()` default.
    public func gelu() -> Tensor {
        var result = self
        result.formGELU()
        return result
    }

    /// In-place exact GELU (see `gelu()`).
    public mutating func formGELU() {
        let inverseRoot2 = Float(0.5).squareRoot()
        storage.withUnsafeMutableBufferPointer { x in
            for i in x.indices {
                let v = x[i]
                x[i] = 0.5 * v * (1 + Foundation.erf(v * inverseRoot2))
            }
        }
    }

    /// ReLU `max(x, 0)` elementwise.
    public func relu() -> Tensor {
        var result = self
        result.formReLU()
        return result
    }

    /// In-place ReLU (see `relu()`).
    public mutating func formReLU() {
        storage.withUnsafeMutableBufferPointer { x in
            for i in x.indices where x[i] < 0 { x[i] = 0 }
        }
    }
}
