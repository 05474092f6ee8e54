import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor

@Suite struct TensorActivationTests {
    /// Reference softmax of one row in Double.
    static func naiveSoftmax(_ row: [Float]) -> [Float] {
        let peak = row.max()!
        let exps = row.map { Foundation.exp(Double($0 - peak)) }
        let total = exps.reduce(0, +)
        return exps.map { Float($0 / total) }
    }

    @Test(arguments: [[1, 1], [5, 9], [2, 3, 17], [4, 64]])
    func softmaxMatchesNaiveRowsAndSumsToOne(shape: [Int]) {
        let x = 4 * Tensor.gaussian(shape, seed: 21)
        let width = shape.last!
        let y = x.softmax()
        let expected = stride(from: 0, to: x.count, by: width).flatMap {
            Self.naiveSoftmax(Array(x.storage[$0..<($0 + width)]))
        }
        expectClose(y.storage, expected, rtol: 1e-5, atol: 1e-7)
        #expect(y.shape == shape)
        for start in stride(from: 0, to: y.count, by: width) {
            expectClose(y.storage[start..<(start + width)].reduce(0, +), 1, rtol: 1e-5)
        }
    }

    @Test func softmaxIsStableForHugeLogits() {
        let y = Tensor(shape: [2, 3], storage: [1000, 1001, 1002, -1e30, 0, -1e30]).softmax()
        expectClose(y.storage, Self.naiveSoftmax([0, 1, 2]) + [0, 1, 0])
    }

    @Test func geluMatchesHandComputedValues() {
        // 0.5·x·(1 + erf(x/√2)) evaluated in double precision.
        let x = Tensor(shape: [6], storage: [1, -1, 2, -3, 0.5, 0])
        let expected: [Float] = [
            0.8413447460685429, -0.15865525393145707, 1.9544997361036416,
            -0.00404969409489031, 0.34573123063700656, 0,
        ]
        expectClose(x.gelu().storage, expected, rtol: 1e-6, atol: 1e-7)
    }

    @Test func geluAndReLUMatchElementwiseFormulas() {
        let x = 3 * Tensor.gaussian([7, 11], seed: 22)
        let gelu = Tensor.build(x.shape) { idx in
            let v = Double(x.element(idx))
            return Float(0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot())))
        }
        expectClose(x.gelu(), gelu, rtol: 1e-5, atol: 1e-6)
        #expect(x.relu() == Tensor.build(x.shape) { max(x.element($0), 0) })
        var y = x
        y.formReLU()
        #expect(y == x.relu())
    }

    @Test(arguments: [[3, 8], [2, 4, 5], [1, 384]])
    func layerNormMatchesNaiveWithAffine(shape: [Int]) {
        let width = shape.last!
        let x = Tensor.gaussian(shape, seed: 23)
        let gamma = Tensor.gaussian([width], seed: 24), beta = Tensor.gaussian([width], seed: 25)
        let eps: Float = 1e-5
        var expected = [Float]()
        for start in stride(from: 0, to: x.count, by: width) {
            let row = x.storage[start..<(start + width)].map(Double.init)
            let mean = row.reduce(0, +) / Double(width)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for (j, v) in row.enumerated() {
                let normalized = (v - mean) / (variance + Double(eps)).squareRoot()
                expected.append(Float(normalized * Double(gamma.storage[j]) + Double(beta.storage[j])))
            }
        }
        let y = x.layerNorm(gamma: gamma, beta: beta, eps: eps)
        #expect(y.shape == shape)
        expectClose(y.storage, expected, rtol: 1e-4, atol: 1e-5)
    }

    @Test func layerNormWithoutAffineStandardizesOffsetRows() {
        // A large common offset is where single-precision statistics lose the small spread.
        let noise = Tensor.gaussian([4, 32], seed: 26)
        let x = noise + Tensor(shape: [4, 32], repeating: 1000)
        let y = x.layerNorm(eps: 0)
        for start in stride(from: 0, to: y.count, by: 32) {
            let row = y.storage[start..<(start + 32)].map(Double.init)
            let mean = row.reduce(0, +) / 32
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 32
            #expect(abs(mean) < 1e-3)
            #expect(abs(variance - 1) < 1e-3)
        }
    }
}
