/// Copying views: concatenation, slicing, row gathering and axis permutation.
extension Tensor {
    /// Joins `tensors` along `axis` (negative counts from the end); all other extents must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let resolved = first.normalizedAxis(axis)
        for t in tensors {
            precondition(
                t.rank == first.rank && t.shape(removing: resolved) == first.shape(removing: resolved),
                "concatenate along axis \(axis): shape \(t.shape) does not fit \(first.shape)")
        }
        var shape = first.shape
        shape[resolved] = tensors.reduce(0) { $0 + $1.shape[resolved] }
        let outer = first.split(around: resolved).outer
        var storage = [Float]()
        storage.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for t in tensors {
                let (_, extent, inner) = t.split(around: resolved)
                let chunk = extent * inner
                storage.append(contentsOf: t.storage[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return Tensor(shape: shape, storage: storage)
    }

    /// The elements whose index along `axis` (negative counts from the end) lies in `range`;
    /// that axis shrinks to `range.count`. E.g. `slice(alongAxis: 0, range: 2..<5)` takes rows 2–4.
    public func slice(alongAxis axis: Int, range: Range<Int>) -> Tensor {
        let resolved = normalizedAxis(axis)
        let (outer, extent, inner) = split(around: resolved)
        precondition(range.lowerBound >= 0 && range.upperBound <= extent, "slice \(range) out of bounds for axis \(axis) of shape \(shape)")
        var newShape = shape
        newShape[resolved] = range.count
        var result = [Float]()
        result.reserveCapacity(outer * range.count * inner)
        for o in 0..<outer {
            let start = (o * extent + range.lowerBound) * inner
            result.append(contentsOf: storage[start..<(start + range.count * inner)])
        }
        return Tensor(shape: newShape, storage: result)
    }

    /// The sub-tensors at `indices` along axis 0, in that order (repeats allowed):
    /// `[N, ...]` gathered by `M` indices gives `[M, ...]`.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatherRows needs rank ≥ 1")
        let rowSize = shape[1...].reduce(1, *)
        var result = [Float]()
        result.reserveCapacity(indices.count * rowSize)
        for index in indices {
            precondition(index >= 0 && index < shape[0], "row index \(index) out of range for shape \(shape)")
            result.append(contentsOf: storage[(index * rowSize)..<((index + 1) * rowSize)])
        }
        return Tensor(shape: [indices.count] + shape[1...], storage: result)
    }

    /// The transpose of a rank-2 tensor: `[M, N]` becomes `[N, M]`.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a rank-2 tensor, got \(shape)")
        return permuted([1, 0])
    }

    /// The tensor with its axes reordered: result axis `i` is input axis `axes[i]`, so
    /// `[G, H, D]` permuted by `[1, 0, 2]` is `[H, G, D]` (as PyTorch `permute`).
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "\(axes) is not a permutation of the \(rank) axes")
        let newShape = axes.map { shape[$0] }
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1]
        }
        let strides = axes.map { inputStrides[$0] }
        var result = Tensor(shape: newShape)
        guard count > 0 else { return result }
        // Walk the output in order with an odometer over its indices, keeping the matching input
        // offset incrementally; the last output axis is a strided inner loop.
        let innerExtent = newShape.last ?? 1, innerStride = strides.last ?? 0
        var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
        storage.withUnsafeBufferPointer { x in
            result.storage.withUnsafeMutableBufferPointer { out in
                var source = 0
                for start in stride(from: 0, to: out.count, by: innerExtent) {
                    for j in 0..<innerExtent { out[start + j] = x[source + j * innerStride] }
                    var axis = index.count - 1
                    while axis >= 0 {
                        index[axis] += 1
                        source += strides[axis]
                        if index[axis] < newShape[axis] { break }
                        source -= strides[axis] * newShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return result
    }
}
