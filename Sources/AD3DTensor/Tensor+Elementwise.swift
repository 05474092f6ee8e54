import CBLAS

/// Elementwise arithmetic on tensors of equal shape, scaling, and row-vector broadcasting.
extension Tensor {
    /// `self ← self + alpha · other` (BLAS `saxpy`); shapes must match.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(shape == other.shape, "add: shapes differ, \(shape) vs \(other.shape)")
        guard count > 0 else { return }
        other.storage.withUnsafeBufferPointer { x in
            storage.withUnsafeMutableBufferPointer { y in
                cblas_saxpy(blasInt(x.count), alpha, x.baseAddress, 1, y.baseAddress, 1)
            }
        }
    }

    /// `self ← self ⊙ other` (Hadamard product); shapes must match.
    public mutating func multiply(_ other: Tensor) {
        precondition(shape == other.shape, "multiply: shapes differ, \(shape) vs \(other.shape)")
        other.storage.withUnsafeBufferPointer { x in
            storage.withUnsafeMutableBufferPointer { y in
                for i in y.indices { y[i] *= x[i] }
            }
        }
    }

    /// `self ← factor · self` (BLAS `sscal`).
    public mutating func scale(by factor: Float) {
        guard count > 0 else { return }
        storage.withUnsafeMutableBufferPointer { x in
            cblas_sscal(blasInt(x.count), factor, x.baseAddress, 1)
        }
    }

    /// Adds the rank-1 `vector` (length `D`) to every row of a `[..., D]` tensor, e.g. a bias.
    public mutating func addRowVector(_ vector: Tensor) {
        precondition(rank >= 1 && vector.shape == [lastDimension], "addRowVector: \(vector.shape) does not broadcast over \(shape)")
        let width = lastDimension, rows = rowCount
        vector.storage.withUnsafeBufferPointer { v in
            storage.withUnsafeMutableBufferPointer { x in
                for row in 0..<rows {
                    let base = row * width
                    for j in 0..<width { x[base + j] += v[j] }
                }
            }
        }
    }

    /// A copy with the rank-1 `vector` added to every row (see `addRowVector(_:)`).
    public func addingRowVector(_ vector: Tensor) -> Tensor {
        var result = self
        result.addRowVector(vector)
        return result
    }

    /// Elementwise sum of equally shaped tensors.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        var result = lhs
        result.add(rhs)
        return result
    }

    /// Elementwise difference of equally shaped tensors.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        var result = lhs
        result.add(rhs, scaledBy: -1)
        return result
    }

    /// Elementwise (Hadamard) product of equally shaped tensors.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        var result = lhs
        result.multiply(rhs)
        return result
    }

    /// The tensor with every element multiplied by `factor`.
    public static func * (factor: Float, tensor: Tensor) -> Tensor {
        var result = tensor
        result.scale(by: factor)
        return result
    }

    /// In-place elementwise sum.
    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.add(rhs) }

    /// In-place elementwise difference.
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs.add(rhs, scaledBy: -1) }

    /// In-place elementwise product.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs.multiply(rhs) }

    /// In-place scaling by a scalar.
    public static func *= (lhs: inout Tensor, factor: Float) { lhs.scale(by: factor) }
}
