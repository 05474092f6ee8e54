import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor

extension Tensor {
    /// A tensor of standard-normal values drawn from `SeededGenerator(seed:)`.
    static func gaussian(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in generator.nextGaussian() })
    }

    /// Element at a multi-index, computed from the row-major strides (independent of the kernels).
    func element(_ index: [Int]) -> Float {
        precondition(index.count == rank)
        var offset = 0
        for (axis, i) in index.enumerated() { offset = offset * shape[axis] + i }
        return storage[offset]
    }

    /// A tensor whose elements are `value(multiIndex)`, filled in row-major order.
    static func build(_ shape: [Int], _ value: ([Int]) -> Float) -> Tensor {
        Tensor(shape: shape, storage: multiIndices(shape).map(value))
    }
}

/// Every multi-index of `shape` in row-major order.
func multiIndices(_ shape: [Int]) -> [[Int]] {
    guard !shape.contains(0) else { return [] }
    var result: [[Int]] = [], index = [Int](repeating: 0, count: shape.count)
    repeat {
        result.append(index)
        var axis = shape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { break }
            index[axis] = 0
            axis -= 1
        }
        if axis < 0 { break }
    } while true
    return result
}

/// Naive `op(a) · op(b)` for matrices with Double accumulation, the reference for `sgemm`.
func naiveProduct(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = transposeB ? b.shape[0] : b.shape[1]
    return Tensor.build([m, n]) { ij in
        var sum = 0.0
        for p in 0..<k {
            let x = transposeA ? a.element([p, ij[0]]) : a.element([ij[0], p])
            let y = transposeB ? b.element([ij[1], p]) : b.element([p, ij[1]])
            sum += Double(x) * Double(y)
        }
        return Float(sum)
    }
}
