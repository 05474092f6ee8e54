import Testing
import AD3DKit
@testable import AD3DTensor

@Suite struct TensorReductionTests {
    /// The input elements at `reducedIndex` (an index with `axis` removed) for every position on `axis`.
    static func fiber(_ x: Tensor, axis: Int, at reducedIndex: [Int]) -> [Float] {
        (0..<x.shape[axis]).map { k in
            var index = reducedIndex
            index.insert(k, at: axis)
            return x.element(index)
        }
    }

    @Test(arguments: [[5], [4, 7], [3, 5, 6], [2, 3, 1, 4]])
    func reductionsMatchNaiveAlongEveryAxis(shape: [Int]) {
        let x = Tensor.gaussian(shape, seed: 31)
        for axis in 0..<shape.count {
            var reducedShape = shape
            reducedShape.remove(at: axis)
            let maxRef = Tensor.build(reducedShape) { Self.fiber(x, axis: axis, at: $0).max()! }
            let sumRef = Tensor.build(reducedShape) { Self.fiber(x, axis: axis, at: $0).reduce(0, +) }
            let meanRef = Tensor.build(reducedShape) { sumRef.element($0) / Float(shape[axis]) }
            #expect(x.max(alongAxis: axis) == maxRef)
            expectClose(x.sum(alongAxis: axis), sumRef, rtol: 1e-5, atol: 1e-5)
            expectClose(x.mean(alongAxis: axis), meanRef, rtol: 1e-5, atol: 1e-5)
            let argmaxRef = multiIndices(reducedShape).map { index in
                let values = Self.fiber(x, axis: axis, at: index)
                return values.firstIndex(of: values.max()!)!
            }
            #expect(x.argmax(alongAxis: axis) == argmaxRef)
        }
    }

    @Test func negativeAxisCountsFromTheEnd() {
        let x = Tensor.gaussian([3, 4, 5], seed: 32)
        #expect(x.max(alongAxis: -1) == x.max(alongAxis: 2))
        #expect(x.mean(alongAxis: -2) == x.mean(alongAxis: 1))
        #expect(x.argmax(alongAxis: -1) == x.argmax(alongAxis: 2))
    }

    @Test func patchMaxPoolOverGroupMembers() {
        // [G, K, C] → [G, C]: the max over the K points of each group, per channel.
        let x = Tensor(shape: [2, 3, 2], storage: [1, -5, 4, 0, 2, 9, /* group 1 */ -1, -2, -3, -4, -0.5, -8])
        #expect(x.max(alongAxis: 1) == Tensor(shape: [2, 2], storage: [4, 9, -0.5, -2]))
    }

    @Test func argmaxPicksFirstOfTies() {
        let x = Tensor(shape: [2, 4], storage: [1, 3, 3, 0, 7, 7, 7, 7])
        #expect(x.argmax(alongAxis: -1) == [1, 0])
    }

    @Test func sumOverEmptyAxisIsZero() {
        #expect(Tensor(shape: [3, 0]).sum(alongAxis: 1) == Tensor(shape: [3], repeating: 0))
    }
}
