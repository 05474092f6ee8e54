import AD3DTensor

/// Differentiable pooling over groups of consecutive rows and its broadcasting counterpart, the
/// two halves of PointNet's "global feature concatenated to every point" (Qi et al. 2017).
extension Variable {
    /// Channel-wise maximum over each group of `groupSize` consecutive rows: `[G·K, C]` → `[G, C]`.
    /// The gradient goes to the row holding the maximum (the first one on ties).
    public func maxPoolRows(groupSize: Int) -> Variable {
        precondition(value.rank == 2 && groupSize > 0 && shape[0] % groupSize == 0,
                     "maxPoolRows(groupSize: \(groupSize)) needs [G·K, C] rows, got \(shape)")
        let (rows, width) = (shape[0], shape[1]), groups = rows / groupSize
        var output = Tensor(shape: [groups, width])
        var winners = [Int32](repeating: 0, count: groups * width)
        value.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                winners.withUnsafeMutableBufferPointer { w in
                    for group in 0..<groups {
                        let out = group * width, first = group * groupSize
                        for j in 0..<width {
                            y[out + j] = x[first * width + j]
                            w[out + j] = Int32(first)
                        }
                        for row in (first + 1)..<(first + groupSize) {
                            let base = row * width
                            for j in 0..<width where x[base + j] > y[out + j] {
                                y[out + j] = x[base + j]
                                w[out + j] = Int32(row)
                            }
                        }
                    }
                }
            }
        }
        return tape.record(output, inputs: [self]) { gradient in
            tape.accumulateGradient(of: self) { total in
                gradient.storage.withUnsafeBufferPointer { g in
                    total.storage.withUnsafeMutableBufferPointer { t in
                        winners.withUnsafeBufferPointer { w in
                            for index in g.indices { t[Int(w[index]) * width + index % width] += g[index] }
                        }
                    }
                }
            }
        }
    }

    /// Every row repeated `count` times in place: `[G, C]` → `[G·count, C]` (row g fills rows
    /// `g·count ..< (g+1)·count`); the gradient of a row is the sum over its copies.
    public func repeatRows(_ count: Int) -> Variable {
        precondition(value.rank == 2 && count > 0, "repeatRows(\(count)) needs a [G, C] value, got \(shape)")
        let (rows, width) = (shape[0], shape[1])
        var output = Tensor(shape: [rows * count, width])
        value.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                for row in 0..<rows {
                    for copy in 0..<count {
                        (y.baseAddress! + (row * count + copy) * width).update(from: x.baseAddress! + row * width, count: width)
                    }
                }
            }
        }
        return tape.record(output, inputs: [self]) { gradient in
            tape.accumulateGradient(of: self) { total in
                gradient.storage.withUnsafeBufferPointer { g in
                    total.storage.withUnsafeMutableBufferPointer { t in
                        for row in 0..<rows {
                            for copy in 0..<count {
                                let source = (row * count + copy) * width
                                for j in 0..<width { t[row * width + j] += g[source + j] }
                            }
                        }
                    }
                }
            }
        }
    }
}
