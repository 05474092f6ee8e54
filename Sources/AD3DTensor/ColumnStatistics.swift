/// Per-column mean and population standard deviation over the rows of one or more `[N, C]`
/// tensors, accumulated in `Double` (used to standardise feature channels).
package struct ColumnStatistics {
    /// Mean of each column.
    package var means: [Double]
    /// Population standard deviation of each column (0 for a constant column).
    package var deviations: [Double]

    /// The statistics of all rows of `tensors` (each `[N_i, C]` with the same `C`; at least one row).
    package init(rowsOf tensors: [Tensor]) {
        let width = tensors[0].shape[1]
        var sums = [Double](repeating: 0, count: width), squares = sums
        var count = 0
        for tensor in tensors {
            precondition(tensor.rank == 2 && tensor.shape[1] == width, "column statistics need [N, \(width)] tensors, got \(tensor.shape)")
            tensor.storage.withUnsafeBufferPointer { values in
                for row in 0..<tensor.shape[0] {
                    for column in 0..<width {
                        let v = Double(values[row * width + column])
                        sums[column] += v
                        squares[column] += v * v
                    }
                }
            }
            count += tensor.shape[0]
        }
        let rows = Double(Swift.max(count, 1))
        means = sums.map { $0 / rows }
        deviations = (0..<width).map { [means] c in Swift.max(squares[c] / rows - means[c] * means[c], 0).squareRoot() }
    }
}
