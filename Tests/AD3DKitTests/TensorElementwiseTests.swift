import Testing
import AD3DKit
@testable import AD3DTensor

@Suite struct TensorElementwiseTests {
    @Test(arguments: [[7], [3, 4], [2, 3, 5], [0, 4]])
    func arithmeticMatchesElementLoops(shape: [Int]) {
        let a = Tensor.gaussian(shape, seed: 11), b = Tensor.gaussian(shape, seed: 12)
        expectClose(a + b, Tensor.build(shape) { a.element($0) + b.element($0) })
        expectClose(a - b, Tensor.build(shape) { a.element($0) - b.element($0) })
        expectClose(a * b, Tensor.build(shape) { a.element($0) * b.element($0) })
        expectClose(-2.5 * a, Tensor.build(shape) { -2.5 * a.element($0) })
        var c = a
        c.add(b, scaledBy: 0.25)
        expectClose(c, Tensor.build(shape) { a.element($0) + 0.25 * b.element($0) })
    }

    @Test func compoundAssignmentsMatchOperators() {
        let a = Tensor.gaussian([4, 6], seed: 13), b = Tensor.gaussian([4, 6], seed: 14)
        var x = a
        x += b
        #expect(x == a + b)
        x = a
        x -= b
        #expect(x == a - b)
        x = a
        x *= b
        #expect(x == a * b)
        x = a
        x *= 3
        #expect(x == 3 * a)
    }

    @Test func addingToItselfDoublesWithoutAliasingTrouble() {
        var a = Tensor.gaussian([5, 5], seed: 15)
        let original = a
        a.add(a)
        expectClose(a, 2 * original)
    }

    @Test(arguments: [[6, 4], [2, 3, 4], [4]])
    func rowVectorBroadcastsOverLeadingAxes(shape: [Int]) {
        let x = Tensor.gaussian(shape, seed: 16), bias = Tensor.gaussian([shape.last!], seed: 17)
        let expected = Tensor.build(shape) { x.element($0) + bias.element([$0.last!]) }
        expectClose(x.addingRowVector(bias), expected)
    }
}
