/// Reductions along one axis (max, sum, mean, argmax), for any rank.
///
/// Each kernel views the tensor as `[outer, extent, inner]` around the axis and walks the reduced
/// axis in the middle loop, so the innermost loop always runs over contiguous memory.
extension Tensor {
    /// Maximum along `axis` (negative counts from the end); the axis is removed from the shape.
    /// For `[G, K, C]` and axis 1 this is the patch max-pool `[G, C]`. The axis must be non-empty.
    public func max(alongAxis axis: Int) -> Tensor {
        combine(alongAxis: axis, requireNonEmpty: true) { accumulated, next in
            for i in accumulated.indices { accumulated[i] = Swift.max(accumulated[i], next[i]) }
        }
    }

    /// Sum along `axis` (negative counts from the end); the axis is removed from the shape.
    public func sum(alongAxis axis: Int) -> Tensor {
        combine(alongAxis: axis, requireNonEmpty: false) { accumulated, next in
            for i in accumulated.indices { accumulated[i] += next[i] }
        }
    }

    /// Arithmetic mean along `axis` (negative counts from the end); the axis must be non-empty.
    public func mean(alongAxis axis: Int) -> Tensor {
        let resolved = normalizedAxis(axis)
        precondition(shape[resolved] > 0, "mean over empty axis \(axis) of shape \(shape)")
        var result = sum(alongAxis: resolved)
        result.scale(by: 1 / Float(shape[resolved]))
        return result
    }

    /// Index of the maximum along `axis` for every other position, in row-major order of the
    /// remaining axes (for a `[N, D]` tensor and axis -1: one index per row). Ties pick the first.
    public func argmax(alongAxis axis: Int) -> [Int] {
        let resolved = normalizedAxis(axis)
        let (outer, extent, inner) = split(around: resolved)
        precondition(extent > 0, "argmax over empty axis \(axis) of shape \(shape)")
        var best = [Int](repeating: 0, count: outer * inner)
        storage.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    let start = o * extent * inner + i
                    var bestValue = x[start]
                    for k in 1..<extent where x[start + k * inner] > bestValue {
                        bestValue = x[start + k * inner]
                        best[o * inner + i] = k
                    }
                }
            }
        }
        return best
    }

    /// Folds the `extent` slices of length `inner` along `axis` into one with `merge`, which
    /// updates its first buffer with its second. The first slice seeds the result (zero when
    /// the axis is empty and `requireNonEmpty` is false).
    private func combine(
        alongAxis axis: Int, requireNonEmpty: Bool,
        _ merge: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void
    ) -> Tensor {
        let resolved = normalizedAxis(axis)
        let (outer, extent, inner) = split(around: resolved)
        precondition(!requireNonEmpty || extent > 0, "reduction over empty axis \(axis) of shape \(shape)")
        var result = Tensor(shape: shape(removing: resolved))
        guard extent > 0, inner > 0 else { return result }
        storage.withUnsafeBufferPointer { x in
            result.storage.withUnsafeMutableBufferPointer { out in
                for o in 0..<outer {
                    let source = o * extent * inner
                    let target = UnsafeMutableBufferPointer(rebasing: out[(o * inner)..<((o + 1) * inner)])
                    _ = target.update(fromContentsOf: x[source..<(source + inner)])
                    for k in 1..<extent {
                        let slice = source + k * inner
                        merge(target, UnsafeBufferPointer(rebasing: x[slice..<(slice + inner)]))
                    }
                }
            }
        }
        return result
    }
}
