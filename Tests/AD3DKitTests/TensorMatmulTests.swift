import Testing
import AD3DKit
@testable import AD3DTensor

@Suite struct TensorMatmulTests {
    /// `[M, K, N]` triples, including degenerate, skinny and non-square ones.
    static let sizes: [[Int]] = [[1, 1, 1], [3, 5, 4], [7, 2, 9], [16, 33, 8], [40, 40, 40]]

    /// Stored operand shapes for `op(A)` = `[M, K]` and `op(B)` = `[K, N]`.
    static func operandShapes(_ mkn: [Int], transposeA: Bool, transposeB: Bool) -> ([Int], [Int]) {
        let (m, k, n) = (mkn[0], mkn[1], mkn[2])
        return (transposeA ? [k, m] : [m, k], transposeB ? [n, k] : [k, n])
    }

    @Test(arguments: sizes, [(false, false), (true, false), (false, true), (true, true)])
    func matmulMatchesNaiveLoop(mkn: [Int], transposes: (Bool, Bool)) {
        let (ta, tb) = transposes
        let (sa, sb) = Self.operandShapes(mkn, transposeA: ta, transposeB: tb)
        let a = Tensor.gaussian(sa, seed: 1), b = Tensor.gaussian(sb, seed: 2)
        let product = a.matmul(b, transposeA: ta, transposeB: tb)
        expectClose(product, naiveProduct(a, b, transposeA: ta, transposeB: tb), rtol: 1e-4, atol: 1e-4)
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() {
        let a = Tensor.gaussian([6, 4], seed: 3), b = Tensor.gaussian([5, 4], seed: 4)
        let initial = Tensor.gaussian([6, 5], seed: 5)
        var c = initial
        Tensor.gemm(a, b, into: &c, transposeB: true, alpha: 0.5, beta: 2)
        let reference = naiveProduct(a, b, transposeA: false, transposeB: true)
        let expected = Tensor.build([6, 5]) { 0.5 * reference.element($0) + 2 * initial.element($0) }
        expectClose(c, expected, rtol: 1e-4, atol: 1e-4)
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let product = Tensor(shape: [3, 0]).matmul(Tensor(shape: [0, 4]))
        #expect(product == Tensor(shape: [3, 4], repeating: 0))
        #expect(Tensor(shape: [0, 2]).matmul(Tensor(shape: [2, 3])).shape == [0, 3])
    }

    @Test(arguments: [[3, 4, 5, 6], [1, 1, 7, 2], [4, 8, 3, 8]], [(false, false), (true, false), (false, true), (true, true)])
    func batchedMatmulMatchesPerBatchNaive(bmkn: [Int], transposes: (Bool, Bool)) {
        let (ta, tb) = transposes
        let batch = bmkn[0]
        let (sa, sb) = Self.operandShapes(Array(bmkn[1...]), transposeA: ta, transposeB: tb)
        let a = Tensor.gaussian([batch] + sa, seed: 6), b = Tensor.gaussian([batch] + sb, seed: 7)
        let product = a.batchedMatmul(b, transposeA: ta, transposeB: tb)
        let (m, n) = (bmkn[1], bmkn[3])
        #expect(product.shape == [batch, m, n])
        for i in 0..<batch {
            let ai = Tensor.build(sa) { a.element([i] + $0) }, bi = Tensor.build(sb) { b.element([i] + $0) }
            let expected = naiveProduct(ai, bi, transposeA: ta, transposeB: tb)
            expectClose(Tensor.build([m, n]) { product.element([i] + $0) }, expected, rtol: 1e-4, atol: 1e-4)
        }
    }

    @Test(arguments: [true, false])
    func linearIsInputTimesWeightTransposePlusBias(withBias: Bool) {
        let x = Tensor.gaussian([2, 5, 7], seed: 8), weight = Tensor.gaussian([4, 7], seed: 9)
        let bias = Tensor.gaussian([4], seed: 10)
        let y = x.linear(weight: weight, bias: withBias ? bias : nil)
        let expected = Tensor.build([2, 5, 4]) { idx in
            var sum = withBias ? Double(bias.element([idx[2]])) : 0
            for p in 0..<7 { sum += Double(x.element([idx[0], idx[1], p])) * Double(weight.element([idx[2], p])) }
            return Float(sum)
        }
        expectClose(y, expected, rtol: 1e-4, atol: 1e-4)
    }
}
