import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DNN

/// Every differentiable operation of the tape against central finite differences.
@Suite("NN gradients")
struct NNGradientTests {
    @Test func linearWithAndWithoutBias() {
        let x = Tensor.gaussian([5, 4], seed: 1), w = Tensor.gaussian([3, 4], seed: 2), b = Tensor.gaussian([3], seed: 3)
        checkInputGradients([x, w, b]) { v in v[0].linear(weight: v[1], bias: v[2]) }
        checkInputGradients([x, w]) { v in v[0].linear(weight: v[1]) }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul(transposeA: Bool, transposeB: Bool) {
        let a = Tensor.gaussian(transposeA ? [4, 3] : [3, 4], seed: 4)
        let b = Tensor.gaussian(transposeB ? [5, 4] : [4, 5], seed: 5)
        checkInputGradients([a, b]) { v in v[0].matmul(v[1], transposeA: transposeA, transposeB: transposeB) }
    }

    @Test func elementwiseArithmeticAndScaling() {
        let a = Tensor.gaussian([3, 4], seed: 6), b = Tensor.gaussian([3, 4], seed: 7)
        checkInputGradients([a, b]) { v in v[0] + v[1] }
        checkInputGradients([a, b]) { v in v[0] - v[1] }
        checkInputGradients([a, b]) { v in v[0] * v[1] }
        checkInputGradients([a]) { v in v[0].scaled(by: -2.5) }
        // The same variable used twice accumulates both contributions: d(x⊙x) = 2x.
        checkInputGradients([a]) { v in v[0] * v[0] }
    }

    @Test func concatenationAndColumns() {
        let a = Tensor.gaussian([3, 2], seed: 8), b = Tensor.gaussian([3, 4], seed: 9), c = Tensor.gaussian([2, 2], seed: 10)
        checkInputGradients([a, b]) { v in Variable.concatenate([v[0], v[1], v[0]], alongAxis: 1) }
        checkInputGradients([a, c]) { v in Variable.concatenate([v[0], v[1]], alongAxis: 0) }
        checkInputGradients([b]) { v in Variable.concatenate([v[0].columns(1..<3), v[0].columns(0..<2)], alongAxis: 1) }
    }

    @Test func activations() {
        let x = Tensor.gaussian([4, 5], seed: 11)
        checkInputGradients([x]) { v in v[0].gelu() }
        checkInputGradients([(3 as Float) * x]) { v in v[0].softmax() }
        // Keep ReLU inputs away from the kink so the differences stay on one side.
        let separated = Tensor(shape: x.shape, storage: x.storage.map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 })
        checkInputGradients([separated], step: 1e-3) { v in v[0].relu() }
    }

    @Test func normalizations() {
        let x = Tensor.gaussian([4, 6], seed: 12), gamma = Tensor.gaussian([6], seed: 13), beta = Tensor.gaussian([6], seed: 14)
        checkInputGradients([x, gamma, beta]) { v in v[0].layerNorm(gamma: v[1], beta: v[2]) }
        checkInputGradients([x]) { v in v[0].l2NormalizedRows() }
    }

    @Test func layerNormMatchesTensorKernel() {
        let x = Tensor.gaussian([4, 6], seed: 15), gamma = Tensor.gaussian([6], seed: 16), beta = Tensor.gaussian([6], seed: 17)
        let tape = Tape(isRecording: false)
        let result = tape.constant(x).layerNorm(gamma: tape.constant(gamma), beta: tape.constant(beta))
        expectClose(result.value, x.layerNorm(gamma: gamma, beta: beta), rtol: 1e-5, atol: 1e-5)
    }

    @Test func weightedBinaryCrossEntropy() {
        let logits = Tensor.gaussian([6, 1], seed: 18)
        let targets: [Float] = [0, 1, 0, 0, 1, 0], weights: [Float] = [0.1, 0.3, 0.1, 0.2, 0.25, 0.05]
        checkInputGradients([logits]) { v in v[0].binaryCrossEntropyWithLogits(targets: targets, weights: weights) }
        // Direct formula −w·(t·log σ(x) + (1−t)·log(1−σ(x))) on moderate logits.
        let tape = Tape(isRecording: false)
        let value = tape.constant(logits).binaryCrossEntropyWithLogits(targets: targets, weights: weights).value.storage[0]
        var reference = 0.0
        for i in 0..<6 {
            let s = 1 / (1 + exp(-Double(logits.storage[i])))
            reference -= Double(weights[i]) * (Double(targets[i]) * log(s) + (1 - Double(targets[i])) * log(1 - s))
        }
        expectClose(value, Float(reference), rtol: 1e-5)
    }

    @Test func binaryCrossEntropyIsStableForExtremeLogits() {
        let tape = Tape()
        let logits = tape.leaf(Tensor(shape: [4], storage: [200, -200, 200, -200]))
        let loss = logits.binaryCrossEntropyWithLogits(targets: [1, 0, 0, 1], weights: [1, 1, 1, 1])
        tape.backward(from: loss)
        // Confident and right costs 0; confident and wrong costs |x|.
        expectClose(loss.value.storage[0], 400, rtol: 1e-6)
        expectClose(tape.gradient(of: logits)!.storage, [0, 0, 1, -1])
    }

    @Test func parametersSharedAcrossUsesAccumulate() {
        let tape = Tape()
        let w = Tensor.gaussian([2, 3], seed: 19), x = Tensor.gaussian([4, 3], seed: 20)
        let first = tape.constant(x).linear(weight: tape.parameter(named: "w", w))
        let second = tape.constant(x).linear(weight: tape.parameter(named: "w", w))
        tape.backward(from: first + second)
        // Each use contributes onesᵀ·x; both land on the one leaf "w".
        let single = Tensor(shape: [4, 2], repeating: 1).matmul(x, transposeA: true)
        expectClose(tape.parameterGradients()["w"]!, 2 * single, rtol: 1e-5)
    }

    @Test func nonRecordingTapeKeepsNoGraph() {
        let tape = Tape(isRecording: false)
        let y = tape.parameter(named: "w", Tensor.gaussian([2, 2], seed: 21)).gelu()
        #expect(!y.requiresGradient)
        #expect(tape.parameterGradients().isEmpty)
    }
}
