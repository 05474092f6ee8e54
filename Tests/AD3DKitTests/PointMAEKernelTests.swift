import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels

/// The encoder's raw kernels against scalar Foundation references.
@Suite struct PointMAEKernelTests {
    @Test func vectorExponentialIsAccurate() {
        var worst: Double = 0
        for i in 0..<20_000 {
            let start = -90 + Float(i) * 0.0049
            for x in (0..<16).map({ start + Float($0) * 0.0003 }) where x > -87 {
                let exact = Foundation.exp(Double(x))
                worst = max(worst, abs(Double(PointMAEKernels.exp(x)) - exact) / exact)
            }
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
        #expect(PointMAEKernels.exp(-1000) >= 0 && PointMAEKernels.exp(-1000) < 1e-37)
        #expect(PointMAEKernels.exp(0) == 1)
        #expect(PointMAEKernels.exp(.nan).isNaN)
    }

    @Test(arguments: [1, 15, 16, 37])
    func exponentiatedRowsNormaliseToSoftmax(width: Int) {
        var generator = SeededGenerator(seed: UInt64(width))
        var values = (0..<(3 * width)).map { _ in 30 * generator.nextGaussian() }
        let original = values
        var inverseSums = [Float](repeating: 0, count: 3)
        values.withUnsafeMutableBufferPointer { x in
            inverseSums.withUnsafeMutableBufferPointer { s in
                PointMAEKernels.exponentiateRows(x.baseAddress!, rows: 3, width: width, inverseSums: s.baseAddress!)
            }
        }
        let softmax = Tensor(shape: [3, width], storage: original).softmax()
        let normalised = (0..<(3 * width)).map { values[$0] * inverseSums[$0 / width] }
        expectClose(normalised, softmax.storage, rtol: 1e-5, atol: 1e-7)
    }
}
