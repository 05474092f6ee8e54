import AD3DTensor

/// The reconstruction loss of masked point modelling.
extension Variable {
    /// Chamfer-L2 between predicted and true point groups (Point-MAE `cdl2`):
    /// for every group, `d1[k] = min_j ‖P_k − Q_j‖²` and `d2[j] = min_k ‖Q_j − P_k‖²`, and the loss
    /// is `mean(d1) + mean(d2)` with both means over all `M·K` entries — no square root, no ½.
    ///
    /// `self` holds the predictions as `M` rows of `K·3` coordinates (`[M, 3K]`, or any shape with
    /// that element count); `target` the true groups `[M, K, 3]` (a constant). The result is `[1]`.
    /// Each distance's gradient goes to the prediction it involves (the first nearest on ties).
    public func chamferL2(target: Tensor, groupSize: Int) -> Variable {
        precondition(groupSize > 0 && target.count % (3 * groupSize) == 0 && target.count == value.count,
                     "chamferL2: prediction \(shape) and target \(target.shape) must both hold M groups of \(groupSize) points")
        let groups = target.count / (3 * groupSize)
        let total = groups * groupSize
        // For every prediction its nearest target, and for every target its nearest prediction.
        var nearestTarget = [Int32](repeating: 0, count: total), nearestPrediction = [Int32](repeating: 0, count: total)
        var loss = 0.0
        value.storage.withUnsafeBufferPointer { p in
            target.storage.withUnsafeBufferPointer { q in
                var distances = [Float](repeating: 0, count: groupSize * groupSize)
                for group in 0..<groups {
                    let first = group * groupSize
                    for k in 0..<groupSize {
                        let a = 3 * (first + k)
                        for j in 0..<groupSize {
                            let b = 3 * (first + j)
                            let dx = p[a] - q[b], dy = p[a + 1] - q[b + 1], dz = p[a + 2] - q[b + 2]
                            distances[k * groupSize + j] = dx * dx + dy * dy + dz * dz
                        }
                    }
                    for k in 0..<groupSize {
                        var best = 0
                        for j in 1..<groupSize where distances[k * groupSize + j] < distances[k * groupSize + best] { best = j }
                        nearestTarget[first + k] = Int32(first + best)
                        loss += Double(distances[k * groupSize + best])
                    }
                    for j in 0..<groupSize {
                        var best = 0
                        for k in 1..<groupSize where distances[k * groupSize + j] < distances[best * groupSize + j] { best = k }
                        nearestPrediction[first + j] = Int32(first + best)
                        loss += Double(distances[best * groupSize + j])
                    }
                }
            }
        }
        let output = Tensor(shape: [1], storage: [Float(loss / Double(total))])
        return tape.record(output, inputs: [self]) { gradient in
            let factor = 2 * gradient.storage[0] / Float(total)
            tape.accumulateGradient(of: self) { result in
                value.storage.withUnsafeBufferPointer { p in
                    target.storage.withUnsafeBufferPointer { q in
                        result.storage.withUnsafeMutableBufferPointer { d in
                            for index in 0..<total {
                                let a = 3 * index, b = 3 * Int(nearestTarget[index])
                                for c in 0..<3 { d[a + c] += factor * (p[a + c] - q[b + c]) }
                                let prediction = 3 * Int(nearestPrediction[index])
                                for c in 0..<3 { d[prediction + c] += factor * (p[prediction + c] - q[a + c]) }
                            }
                        }
                    }
                }
            }
        }
    }
}
