import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DNN

/// The tape operations added for masked-autoencoder pretraining, against finite differences and
/// naive reference loops.
@Suite("NN pretraining ops")
struct NNPretrainingOpTests {
    @Test func batchNormTrainingGradientsAndStatistics() {
        let x = Tensor.gaussian([7, 5], seed: 21), gamma = Tensor.gaussian([5], seed: 22), beta = Tensor.gaussian([5], seed: 23)
        checkInputGradients([x, gamma, beta], step: 5e-3) { v in v[0].batchNorm(gamma: v[1], beta: v[2]).output }
        let tape = Tape(isRecording: false)
        let (output, statistics) = tape.constant(x).batchNorm(gamma: tape.constant(gamma), beta: tape.constant(beta))
        for j in 0..<5 {
            let column = (0..<7).map { Double(x.storage[$0 * 5 + j]) }
            let mean = column.reduce(0, +) / 7
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7
            expectClose(statistics.mean[j], Float(mean), rtol: 1e-5, atol: 1e-6)
            expectClose(statistics.variance[j], Float(variance), rtol: 1e-5, atol: 1e-6)
            expectClose(statistics.unbiasedVariance[j], Float(variance * 7 / 6), rtol: 1e-5, atol: 1e-6)
            for i in 0..<7 {
                let expected = Float((column[i] - mean) / (variance + 1e-5).squareRoot()) * gamma.storage[j] + beta.storage[j]
                expectClose(output.value.storage[i * 5 + j], expected, rtol: 1e-4, atol: 1e-5)
            }
        }
    }

    @Test func batchNormEvaluationGradientsAndValues() {
        let x = Tensor.gaussian([6, 4], seed: 24), gamma = Tensor.gaussian([4], seed: 25), beta = Tensor.gaussian([4], seed: 26)
        let mean = Tensor.gaussian([4], seed: 27), variance = Tensor(shape: [4], storage: [0.5, 1, 2, 3])
        checkInputGradients([x, gamma, beta]) { v in v[0].batchNorm(gamma: v[1], beta: v[2], mean: mean, variance: variance) }
        let tape = Tape(isRecording: false)
        let output = tape.constant(x).batchNorm(gamma: tape.constant(gamma), beta: tape.constant(beta), mean: mean, variance: variance)
        let expected = (0..<24).map { index -> Float in
            let j = index % 4
            return (x.storage[index] - mean.storage[j]) / (variance.storage[j] + 1e-5).squareRoot() * gamma.storage[j] + beta.storage[j]
        }
        expectClose(output.value.storage, expected, rtol: 1e-5, atol: 1e-5)
    }

    @Test func batchNormLayerRunningStatistics() {
        var layer = BatchNorm(dimensions: 2)
        layer.update(with: BatchStatistics(mean: [1, -2], variance: [3, 4], count: 4))
        expectClose(layer.runningMean.storage, [0.1, -0.2])
        expectClose(layer.runningVariance.storage, [0.9 + 0.1 * 4, 0.9 + 0.1 * 16 / 3])
        #expect(layer.namedParameters().keys.sorted() == ["bias", "weight"])
    }

    @Test func maxPoolRows() {
        // Distinct values a step apart, so finite differences never swap a maximum.
        var generator = SeededGenerator(seed: 28)
        let values = (0..<24).map { Float($0) * 0.1 }.shuffled(using: &generator)
        let x = Tensor(shape: [6, 4], storage: values)
        checkInputGradients([x], step: 1e-3) { v in v[0].maxPoolRows(groupSize: 3) }
        let tape = Tape(isRecording: false)
        let pooled = tape.constant(x).maxPoolRows(groupSize: 3).value
        let expected = (0..<2).flatMap { g in (0..<4).map { j in (0..<3).map { values[(g * 3 + $0) * 4 + j] }.max()! } }
        #expect(pooled.shape == [2, 4] && pooled.storage == expected)
    }

    @Test func repeatGatherAndReshape() {
        let x = Tensor.gaussian([3, 4], seed: 29)
        checkInputGradients([x]) { v in v[0].repeatRows(3) }
        checkInputGradients([x]) { v in v[0].gatherRows([2, 0, 2, 1]) }
        checkInputGradients([x]) { v in v[0].reshaped([2, 6]).gatherRows([1]) }
        let tape = Tape(isRecording: false)
        let repeated = tape.constant(x).repeatRows(2).value
        #expect(repeated.storage == x.gatherRows([0, 0, 1, 1, 2, 2]).storage)
    }

    @Test func chamferMatchesBruteForceAndFiniteDifferences() {
        let (groups, size) = (3, 4)
        let prediction = Tensor.gaussian([groups, 3 * size], seed: 30), target = Tensor.gaussian([groups, size, 3], seed: 31)
        func point(_ t: Tensor, _ index: Int) -> [Double] { (0..<3).map { Double(t.storage[3 * index + $0]) } }
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
        var sum1 = 0.0, sum2 = 0.0
        for g in 0..<groups {
            let p = (0..<size).map { point(prediction, g * size + $0) }, q = (0..<size).map { point(target, g * size + $0) }
            sum1 += p.map { a in q.map { distance(a, $0) }.min()! }.reduce(0, +)
            sum2 += q.map { b in p.map { distance($0, b) }.min()! }.reduce(0, +)
        }
        let tape = Tape(isRecording: false)
        let loss = tape.constant(prediction).chamferL2(target: target, groupSize: size).value
        expectClose(loss.storage[0], Float(sum1 / 12 + sum2 / 12), rtol: 1e-5)
        checkInputGradients([prediction], step: 1e-3, rtol: 1e-2, atol: 1e-3) { v in v[0].chamferL2(target: target, groupSize: size) }
    }

    @Test func fusedAttentionEqualsPerSequenceAttention() {
        var generator = SeededGenerator(seed: 32)
        let attention = SelfAttention(dimensions: 8, headCount: 2, generator: &generator)
        let x = Tensor.gaussian([3 * 5, 8], seed: 33)
        checkInputGradients([Tensor.gaussian([3 * 5, 24], seed: 41)]) { v in v[0].multiHeadAttention(sequenceLength: 5, headCount: 2) }
        let tape = Tape()
        let leaf = tape.leaf(x)
        let fused = attention(leaf, sequenceLength: 5, ParameterScope(tape: tape))
        let reference = Variable.concatenate(
            (0..<3).map { s in attention(leaf.gatherRows(Array((s * 5)..<(s * 5 + 5))), ParameterScope(tape: tape, path: "r")) },
            alongAxis: 0)
        expectClose(fused.value, reference.value, rtol: 1e-5, atol: 1e-6)
        tape.backward(from: fused - reference, seed: Tensor.gaussian(fused.shape, seed: 34))
        // The difference's gradient cancels in x when both paths agree.
        expectClose(tape.gradient(of: leaf)!.storage, [Float](repeating: 0, count: x.count), atol: 1e-5)
    }

    @Test func batchedBlockEqualsBlock() {
        var generator = SeededGenerator(seed: 35)
        let block = TransformerBlock(dimensions: 8, headCount: 2, hiddenDimensions: 16, generator: &generator)
        let x = Tensor.gaussian([6, 8], seed: 36)
        let tape = Tape(isRecording: false)
        let whole = block(tape.constant(x), sequenceLength: 6, ParameterScope(tape: tape))
        expectClose(whole.value, block(tape.constant(x), ParameterScope(tape: tape)).value, rtol: 1e-5, atol: 1e-5)
        checkParameterGradients(block) { module, scope in
            module(scope.constant(Tensor.gaussian([4, 8], seed: 37)), sequenceLength: 2, scope)
        }
    }

    @Test func adamWStateRestoresExactly() {
        var generator = SeededGenerator(seed: 38)
        var layer = Linear(inputDimensions: 3, outputDimensions: 2, generator: &generator)
        let gradients = ["weight": Tensor.gaussian([2, 3], seed: 39), "bias": Tensor.gaussian([2], seed: 40)]
        var optimizer = AdamW(weightDecay: 0.05)
        optimizer.step(&layer, gradients: gradients, learningRate: 0.01)
        var copy = layer
        var restored = AdamW(weightDecay: 0.05)
        restored.restore(first: optimizer.moments.first, second: optimizer.moments.second, stepCount: optimizer.stepCount)
        optimizer.step(&layer, gradients: gradients, learningRate: 0.01)
        restored.step(&copy, gradients: gradients, learningRate: 0.01)
        #expect(layer.weight == copy.weight && layer.bias == copy.bias)
    }

    @Test func crossCorrelationLossAgainstNaiveLoopAndFiniteDifferences() {
        let a = Tensor.gaussian([9, 4], seed: 41), b = a + (0.5 as Float) * Tensor.gaussian([9, 4], seed: 42)
        checkInputGradients([a, b], step: 5e-3) { v in v[0].crossCorrelationLoss(with: v[1], offDiagonalWeight: 0.3) }
        // Reference: standardise each column in Double, correlate, sum the weighted squared deviations from I.
        func standardized(_ x: Tensor) -> [[Double]] {
            (0..<4).map { j in
                let column = (0..<9).map { Double(x.storage[$0 * 4 + j]) }
                let mean = column.reduce(0, +) / 9
                let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 9 + 1e-5).squareRoot()
                return column.map { ($0 - mean) / std }
            }
        }
        let (sa, sb) = (standardized(a), standardized(b))
        var expected = 0.0
        for d in 0..<4 {
            for e in 0..<4 {
                let c = (0..<9).map { sa[d][$0] * sb[e][$0] }.reduce(0, +) / 9
                expected += d == e ? (1 - c) * (1 - c) : 0.3 * c * c
            }
        }
        let tape = Tape(isRecording: false)
        let loss = tape.constant(a).crossCorrelationLoss(with: tape.constant(b), offDiagonalWeight: 0.3)
        #expect(loss.shape == [1])
        expectClose(loss.value.storage[0], Float(expected), rtol: 1e-4, atol: 1e-5)
        // Scale-free, and (almost) zero for a perfect correlate with uncorrelated columns.
        let scaled = tape.constant((3 as Float) * a).crossCorrelationLoss(with: tape.constant(b), offDiagonalWeight: 0.3)
        expectClose(scaled.value.storage[0], loss.value.storage[0], rtol: 1e-4, atol: 1e-5)
        let identity = Tensor(shape: [4, 4], storage: (0..<16).map { $0 % 5 == 0 ? 1 : 0 })
        let orthogonal = Tensor.concatenate([identity, (-1 as Float) * identity], alongAxis: 0)
        let perfect = tape.constant(orthogonal).crossCorrelationLoss(with: tape.constant(orthogonal), offDiagonalWeight: 1)
        #expect(abs(perfect.value.storage[0]) < 1e-3)
    }
}
