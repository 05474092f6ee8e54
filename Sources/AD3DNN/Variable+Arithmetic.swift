import AD3DTensor

/// Differentiable elementwise arithmetic, scaling, concatenation and column slicing.
extension Variable {
    /// Elementwise sum of equally shaped values.
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        lhs.tape.record(lhs.value + rhs.value, inputs: [lhs, rhs]) { gradient in
            lhs.tape.accumulate(gradient, into: lhs)
            lhs.tape.accumulate(gradient, into: rhs)
        }
    }

    /// Elementwise difference of equally shaped values.
    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        lhs.tape.record(lhs.value - rhs.value, inputs: [lhs, rhs]) { gradient in
            lhs.tape.accumulate(gradient, into: lhs)
            lhs.tape.accumulate(-1 * gradient, into: rhs)
        }
    }

    /// Elementwise (Hadamard) product of equally shaped values.
    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        lhs.tape.record(lhs.value * rhs.value, inputs: [lhs, rhs]) { gradient in
            if lhs.requiresGradient { lhs.tape.accumulate(gradient * rhs.value, into: lhs) }
            if rhs.requiresGradient { lhs.tape.accumulate(gradient * lhs.value, into: rhs) }
        }
    }

    /// The value multiplied by the constant `factor`.
    public func scaled(by factor: Float) -> Variable {
        tape.record(factor * value, inputs: [self]) { gradient in
            tape.accumulate(factor * gradient, into: self)
        }
    }

    /// Joins `parts` along `axis` (negative counts from the end), e.g. `[a ; c ; a − c]` along
    /// the channel axis; the gradient is split back into the parts.
    public static func concatenate(_ parts: [Variable], alongAxis axis: Int) -> Variable {
        precondition(!parts.isEmpty, "concatenate needs at least one variable")
        let tape = parts[0].tape
        let joined = Tensor.concatenate(parts.map(\.value), alongAxis: axis)
        let resolved = joined.normalizedAxis(axis)
        return tape.record(joined, inputs: parts) { gradient in
            var start = 0
            for part in parts {
                let extent = part.shape[resolved]
                if part.requiresGradient {
                    tape.accumulate(gradient.slice(alongAxis: resolved, range: start..<(start + extent)), into: part)
                }
                start += extent
            }
        }
    }

    /// Columns `range` of a `[N, D]` value (a head's share of a fused projection).
    public func columns(_ range: Range<Int>) -> Variable {
        precondition(value.rank == 2, "columns(_:) needs a matrix, got \(shape)")
        let rows = shape[0], width = shape[1]
        return tape.record(value.slice(alongAxis: 1, range: range), inputs: [self]) { gradient in
            tape.accumulateGradient(of: self) { total in
                gradient.storage.withUnsafeBufferPointer { g in
                    total.storage.withUnsafeMutableBufferPointer { t in
                        for row in 0..<rows {
                            for j in 0..<range.count { t[row * width + range.lowerBound + j] += g[row * range.count + j] }
                        }
                    }
                }
            }
        }
    }
}
