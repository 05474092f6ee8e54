import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels

/// Log-domain Sinkhorn against its marginals and a probability-domain reference.
@Suite("Detector head Sinkhorn")
struct DetectorHeadSinkhornTests {
    /// A `[G, M]` cost with entries in [0, 4], the range of squared distances of unit vectors.
    private func cost(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, columns], storage: (0..<(rows * columns)).map { _ in 4 * generator.nextUnitFloat() })
    }

    private func marginals(_ plan: Tensor) -> (rows: [Double], columns: [Double]) {
        let (g, m) = (plan.shape[0], plan.shape[1])
        var rows = [Double](repeating: 0, count: g), columns = [Double](repeating: 0, count: m)
        for i in 0..<g {
            for j in 0..<m {
                let p = exp(Double(plan.storage[i * m + j]))
                rows[i] += p
                columns[j] += p
            }
        }
        return (rows, columns)
    }

    @Test(arguments: [Float(0.05), 0.1, 0.5])
    func marginalsAreUniform(epsilon: Float) {
        let plan = Sinkhorn.logPlan(cost: cost(40, 6, seed: 1), epsilon: epsilon, iterations: 300)
        let (rows, columns) = marginals(plan)
        expectClose(rows.map(Float.init), [Float](repeating: 1 / 40, count: 40), rtol: 1e-3)
        expectClose(columns.map(Float.init), [Float](repeating: 1 / 6, count: 6), rtol: 1e-3)
    }

    @Test func defaultIterationsGiveExactRowsAndCloseColumns() {
        let plan = Sinkhorn.logPlan(cost: cost(64, 8, seed: 2), epsilon: 0.05, iterations: 20)
        let (rows, columns) = marginals(plan)
        expectClose(rows.map(Float.init), [Float](repeating: 1 / 64, count: 64), rtol: 1e-4)
        #expect(columns.allSatisfy { $0 > 0.9 / 8 && $0 < 1.1 / 8 })
    }

    @Test func matchesProbabilityDomainReference() {
        let c = cost(7, 4, seed: 3)
        let (g, m, epsilon, iterations) = (7, 4, 0.5, 15)
        let kernel = c.storage.map { exp(-Double($0) / epsilon) }
        var u = [Double](repeating: 1, count: g), v = [Double](repeating: 1, count: m)
        for _ in 0..<iterations {
            for i in 0..<g { u[i] = (1 / Double(g)) / (0..<m).reduce(0) { $0 + kernel[i * m + $1] * v[$1] } }
            for j in 0..<m { v[j] = (1 / Double(m)) / (0..<g).reduce(0) { $0 + kernel[$1 * m + j] * u[$1] } }
        }
        // The log-domain plan is taken after a final row update of u, as rows use the last v.
        for i in 0..<g { u[i] = (1 / Double(g)) / (0..<m).reduce(0) { $0 + kernel[i * m + $1] * v[$1] } }
        let reference = (0..<(g * m)).map { Float(u[$0 / m] * kernel[$0] * v[$0 % m]) }
        let plan = Sinkhorn.logPlan(cost: c, epsilon: Float(epsilon), iterations: iterations)
        expectClose(plan.storage.map { exp($0) }, reference, rtol: 1e-4, atol: 1e-7)
        // Row normalisation of that plan.
        let weights = Sinkhorn.rowNormalizedPlan(cost: c, epsilon: Float(epsilon), iterations: iterations)
        let rowSums = (0..<g).map { i in (0..<m).reduce(Float(0)) { $0 + reference[i * m + $1] } }
        expectClose(weights.storage, (0..<(g * m)).map { reference[$0] / rowSums[$0 / m] }, rtol: 1e-4, atol: 1e-7)
    }

    @Test func tinyEpsilonStaysFinite() {
        let weights = Sinkhorn.rowNormalizedPlan(cost: cost(30, 5, seed: 4), epsilon: 1e-4, iterations: 20)
        #expect(weights.storage.allSatisfy { $0.isFinite })
        for i in 0..<30 { expectClose(weights.storage[(5 * i)..<(5 * i + 5)].reduce(0, +), 1, rtol: 1e-5) }
    }
}
