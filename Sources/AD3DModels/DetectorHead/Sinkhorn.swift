import AD3DTensor
import Foundation

/// Entropic optimal transport between `G` tokens and `M` prototypes with uniform marginals
/// (`1/G` per token, `1/M` per prototype), solved by Sinkhorn iterations in the log domain
/// (Cuturi 2013; log-domain form as in Peyré & Cuturi, "Computational Optimal Transport" §4.4).
///
/// With `K_ij = −c_ij/ε`, the plan is `log Π_ij = K_ij + u_i + v_j`; each iteration sets
/// `u_i = −log G − logsumexp_j(K_ij + v_j)` (rows sum to `1/G`) then
/// `v_j = −log M − logsumexp_i(K_ij + u_i)` (columns sum to `1/M`). Every `logsumexp` subtracts
/// its maximum, so no exponential overflows however small ε is.
public enum Sinkhorn {
    /// The log transport plan `[G, M]` for `cost` (`[G, M]`), after `iterations` row/column updates
    /// and a final row update (so rows sum to `1/G` exactly; columns converge with the iterations).
    public static func logPlan(cost: Tensor, epsilon: Float, iterations: Int) -> Tensor {
        let (kernel, v) = solve(cost: cost, epsilon: epsilon, iterations: iterations)
        let (rows, columns) = (cost.shape[0], cost.shape[1])
        let u = rowPotentials(kernel, v, rows: rows, columns: columns)
        var plan = kernel
        plan.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows { for j in 0..<columns { p[i * columns + j] += u[i] + v[j] } }
        }
        return plan
    }

    /// The plan normalised per row, `w_ij = Π_ij / Σ_j Π_ij` (`[G, M]`, rows sum to 1).
    /// The row potential cancels, so this is `softmax_j(K_ij + v_j)`.
    public static func rowNormalizedPlan(cost: Tensor, epsilon: Float, iterations: Int) -> Tensor {
        let (kernel, v) = solve(cost: cost, epsilon: epsilon, iterations: iterations)
        var logits = kernel
        let columns = cost.shape[1]
        logits.storage.withUnsafeMutableBufferPointer { p in
            for base in stride(from: 0, to: p.count, by: columns) { for j in 0..<columns { p[base + j] += v[j] } }
        }
        return logits.softmax()
    }

    /// `K = −cost/ε` and the column potentials `v` after `iterations` alternating updates.
    private static func solve(cost: Tensor, epsilon: Float, iterations: Int) -> (kernel: Tensor, v: [Float]) {
        precondition(cost.rank == 2 && cost.shape[0] > 0 && cost.shape[1] > 0, "Sinkhorn needs a non-empty [G, M] cost, got \(cost.shape)")
        precondition(epsilon > 0, "Sinkhorn needs ε > 0")
        let (rows, columns) = (cost.shape[0], cost.shape[1])
        let kernel = (-1 / epsilon) * cost
        let logColumnMass = -Foundation.log(Float(columns))
        var v = [Float](repeating: 0, count: columns)
        var scratch = [Float](repeating: 0, count: rows)
        kernel.storage.withUnsafeBufferPointer { k in
            for _ in 0..<iterations {
                let u = rowPotentials(kernel, v, rows: rows, columns: columns)
                for j in 0..<columns {
                    for i in 0..<rows { scratch[i] = k[i * columns + j] + u[i] }
                    v[j] = logColumnMass - logSumExp(scratch, count: rows)
                }
            }
        }
        return (kernel, v)
    }

    /// `u_i = −log G − logsumexp_j(K_ij + v_j)`.
    private static func rowPotentials(_ kernel: Tensor, _ v: [Float], rows: Int, columns: Int) -> [Float] {
        let logRowMass = -Foundation.log(Float(rows))
        var scratch = [Float](repeating: 0, count: columns)
        return kernel.storage.withUnsafeBufferPointer { k in
            (0..<rows).map { i in
                for j in 0..<columns { scratch[j] = k[i * columns + j] + v[j] }
                return logRowMass - logSumExp(scratch, count: columns)
            }
        }
    }

    /// `log Σ exp(x)` over the first `count` values, shifted by their maximum.
    private static func logSumExp(_ x: [Float], count: Int) -> Float {
        var peak = -Float.infinity
        for i in 0..<count { peak = Swift.max(peak, x[i]) }
        var total: Float = 0
        for i in 0..<count { total += Foundation.exp(x[i] - peak) }
        return peak + Foundation.log(total)
    }
}
