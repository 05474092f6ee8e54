extension LinearAlgebra {
    /// The solution `x` of the small dense system `A·x = b` (`A` row-major n × n), by Gaussian
    /// elimination with partial pivoting in `Double`; nil when `A` is singular to working precision.
    public static func solve(_ matrix: [Double], _ rhs: [Double], n: Int) -> [Double]? {
        precondition(matrix.count == n * n && rhs.count == n, "solve needs an n × n matrix and n right-hand values")
        var a = matrix, b = rhs
        let scale = a.map(abs).max() ?? 0
        guard scale > 0, scale.isFinite else { return nil }
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }!
            guard abs(a[pivot * n + column]) > 1e-12 * scale else { return nil }
            if pivot != column {
                for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
                b.swapAt(pivot, column)
            }
            for row in (column + 1)..<n {
                let factor = a[row * n + column] / a[column * n + column]
                guard factor != 0 else { continue }
                for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            let tail = ((row + 1)..<n).reduce(0.0) { $0 + a[row * n + $1] * x[$1] }
            x[row] = (b[row] - tail) / a[row * n + row]
        }
        return x
    }
}
