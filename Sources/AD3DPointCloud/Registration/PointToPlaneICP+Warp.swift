import AD3DTensor

/// Non-rigid refinement: the smooth warp that puts a scan on the target's tangent planes.
extension PointToPlaneICP {
    /// Steps of the warp fit.
    static let warpIterations = 8
    /// Ridge weight per fitted pair on the node displacements: keeps nodes without nearby scan
    /// points (a single view's hidden side) in place and the fit well posed.
    static let warpRidge = 1e-3

    /// The warp (`nodes`, fall-off `radius`) that best puts `cloud` (at least 3 finite points,
    /// already rigidly in place) on the target's tangent planes: each step fits the nodes'
    /// displacements by ridge-regularised least squares of Σ ((x + Σₖ φₖ(x)·uₖ − b)·n)² over the
    /// kept pairs (the closest `inlierFraction`, so a defect does not pull the warp).
    public func warp(of cloud: PointCloud, nodes: [SIMD3<Float>], radius: Float) throws -> SmoothWarp {
        try cloud.requireFiniteCoordinates(operation: "smooth warp")
        guard cloud.count >= 3 else { throw SamplingError.tooFewPoints(operation: "smooth warp", required: 3, available: cloud.count) }
        let subset = try Downsampling.fixedSubset(cloud, count: 2 * points)
        var warp = SmoothWarp.identity(nodes: nodes, radius: radius)
        let unknowns = 3 * nodes.count
        var weights = [Float](repeating: 0, count: subset.count * nodes.count)
        weights.withUnsafeMutableBufferPointer { all in
            var row = [Float](repeating: 0, count: nodes.count)
            for i in 0..<subset.count {
                warp.weights(at: subset[i], into: &row)
                for k in row.indices { all[i * nodes.count + k] = row[k] }
            }
        }
        for _ in 0..<Self.warpIterations {
            let moved = displaced(subset, weights: weights, by: warp.displacements)
            let nearest = tree.nearest(k: 1, to: moved)
            let kept = nearest.queriesClosestFirst(keeping: max(unknowns, Int((Float(moved.count) * inlierFraction).rounded())))
            // Rows φₖ(x)·n (node-major, x y z within a node) and residuals (b − x')·n of the kept pairs.
            var design = Tensor(shape: [kept.count, unknowns]), right = [Double](repeating: 0, count: unknowns)
            for (r, i) in kept.enumerated() {
                let j = Int(nearest.indices[i]), n = normal(of: j)
                let residual = Double(((target[j] - moved[i]) * n).sum())
                for k in 0..<nodes.count {
                    let w = weights[i * nodes.count + k]
                    for c in 0..<3 {
                        design.storage[r * unknowns + 3 * k + c] = w * n[c]
                        right[3 * k + c] += Double(w * n[c]) * residual
                    }
                }
            }
            // One BLAS thread: the warp, and every score after it, must not depend on `--jobs`.
            let gram = BLASRuntime.singleThreaded { design.matmul(design, transposeA: true) }
            let ridge = Self.warpRidge * Double(kept.count)
            var equations = gram.storage.map(Double.init)
            for u in 0..<unknowns {
                equations[u * unknowns + u] += ridge
                right[u] -= ridge * Double(warp.displacements[u / 3][u % 3])
            }
            guard let step = LinearAlgebra.solve(equations, right, n: unknowns), step.allSatisfy(\.isFinite) else { break }
            for k in nodes.indices {
                warp.displacements[k] += SIMD3(Float(step[3 * k]), Float(step[3 * k + 1]), Float(step[3 * k + 2]))
            }
        }
        return warp
    }

    /// `cloud` with point i moved by Σₖ `weights`[i, k] · `displacements`[k].
    private func displaced(_ cloud: PointCloud, weights: [Float], by displacements: [SIMD3<Float>]) -> PointCloud {
        var coordinates = cloud.coordinates
        for i in 0..<cloud.count {
            var shift = SIMD3<Float>.zero
            for (k, displacement) in displacements.enumerated() { shift += weights[i * displacements.count + k] * displacement }
            coordinates[3 * i] += shift.x
            coordinates[3 * i + 1] += shift.y
            coordinates[3 * i + 2] += shift.z
        }
        return PointCloud(coordinates: coordinates)
    }
}
