import AD3DTensor

/// Differentiable row selection and reshaping.
extension Variable {
    /// Rows `indices` of a `[N, C]` value, in that order (repeats allowed): `[indices.count, C]`.
    /// The gradient is scattered back, adding up over repeated rows.
    public func gatherRows(_ indices: [Int]) -> Variable {
        precondition(value.rank == 2, "gatherRows needs a [N, C] value, got \(shape)")
        let (rows, width) = (shape[0], shape[1])
        precondition(indices.allSatisfy { (0..<rows).contains($0) }, "gatherRows: an index is outside 0..<\(rows)")
        return tape.record(value.gatherRows(indices), inputs: [self]) { gradient in
            tape.accumulateGradient(of: self) { total in
                gradient.storage.withUnsafeBufferPointer { g in
                    total.storage.withUnsafeMutableBufferPointer { t in
                        for (position, row) in indices.enumerated() {
                            for j in 0..<width { t[row * width + j] += g[position * width + j] }
                        }
                    }
                }
            }
        }
    }

    /// The same elements with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Variable {
        let original = shape
        return tape.record(value.reshaped(newShape), inputs: [self]) { gradient in
            tape.accumulate(gradient.reshaped(original), into: self)
        }
    }
}
