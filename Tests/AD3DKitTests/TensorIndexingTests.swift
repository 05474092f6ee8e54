import Testing
import AD3DKit
@testable import AD3DTensor

@Suite struct TensorIndexingTests {
    @Test(arguments: [0, 1, 2, -1])
    func concatenateMatchesIndexFormula(axis: Int) {
        let resolved = (axis + 3) % 3
        var shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]]
        for (i, extent) in [1, 2, 3].enumerated() { shapes[i][resolved] = extent }
        let parts = shapes.enumerated().map { Tensor.gaussian($1, seed: 40 + UInt64($0)) }
        let joined = Tensor.concatenate(parts, alongAxis: axis)
        var shape = [2, 3, 4]
        shape[resolved] = 6
        let expected = Tensor.build(shape) { index in
            var local = index
            var part = 0
            while local[resolved] >= parts[part].shape[resolved] {
                local[resolved] -= parts[part].shape[resolved]
                part += 1
            }
            return parts[part].element(local)
        }
        #expect(joined == expected)
    }

    @Test(arguments: [(0, 1..<3), (1, 0..<2), (2, 2..<5), (-1, 4..<4), (0, 0..<4)])
    func sliceMatchesIndexFormula(axis: Int, range: Range<Int>) {
        let x = Tensor.gaussian([4, 3, 5], seed: 44)
        let resolved = (axis + 3) % 3
        var shape = x.shape
        shape[resolved] = range.count
        let expected = Tensor.build(shape) { index in
            var source = index
            source[resolved] += range.lowerBound
            return x.element(source)
        }
        #expect(x.slice(alongAxis: axis, range: range) == expected)
    }

    @Test func gatherRowsFollowsIndicesWithRepeats() {
        let x = Tensor.gaussian([5, 2, 3], seed: 45)
        let indices = [4, 0, 4, 2]
        let expected = Tensor.build([4, 2, 3]) { x.element([indices[$0[0]]] + $0[1...]) }
        #expect(x.gatherRows(indices) == expected)
        #expect(x.gatherRows([]).shape == [0, 2, 3])
    }

    @Test(arguments: [[1, 1], [3, 7], [16, 5]])
    func transposeSwapsIndices(shape: [Int]) {
        let x = Tensor.gaussian(shape, seed: 46)
        #expect(x.transposed() == Tensor.build([shape[1], shape[0]]) { x.element([$0[1], $0[0]]) })
        #expect(x.transposed().transposed() == x)
    }

    @Test(arguments: [[1, 0, 2], [2, 0, 1], [0, 2, 1], [2, 1, 0]])
    func permuteMatchesIndexFormulaAndInverts(axes: [Int]) {
        let x = Tensor.gaussian([2, 3, 4], seed: 47)
        let permuted = x.permuted(axes)
        let expected = Tensor.build(axes.map { x.shape[$0] }) { index in
            var source = [0, 0, 0]
            for (i, axis) in axes.enumerated() { source[axis] = index[i] }
            return x.element(source)
        }
        #expect(permuted == expected)
        var inverse = [0, 0, 0]
        for (i, axis) in axes.enumerated() { inverse[axis] = i }
        #expect(permuted.permuted(inverse) == x)
    }
}
