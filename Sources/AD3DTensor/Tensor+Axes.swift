/// Axis bookkeeping shared by the reduction, concatenation and slicing kernels.
extension Tensor {
    /// `axis` with negative values counted from the end (`-1` is the last axis), checked in range.
    package func normalizedAxis(_ axis: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) out of range for shape \(shape)")
        return resolved
    }

    /// Views the tensor as `[outer, extent, inner]` around `axis` (already normalized), which lets
    /// every axis-wise kernel run as contiguous `inner`-length loops whatever the rank.
    func split(around axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// The shape with `axis` (already normalized) removed.
    func shape(removing axis: Int) -> [Int] {
        var reduced = shape
        reduced.remove(at: axis)
        return reduced
    }

    /// Number of rows when the tensor is viewed as `[rows, lastDimension]`.
    var rowCount: Int { rank == 0 ? 1 : shape[..<(rank - 1)].reduce(1, *) }

    /// Extent of the last axis (1 for a scalar).
    package var lastDimension: Int { shape.last ?? 1 }
}

/// Narrows an element count to the 32-bit integer type of CBLAS/LAPACKE, failing loudly rather than
/// letting a count above 2³¹ wrap.
@inline(__always)
func blasInt(_ value: Int) -> Int32 {
    precondition(value <= Int(Int32.max), "\(value) exceeds the 32-bit BLAS index range")
    return Int32(value)
}
