import Foundation

/// A smooth non-rigid motion: a point x moves to x + Σₖ exp(−|x − cₖ|² / 2σ²) · uₖ, a Gaussian-weighted
/// sum of displacements uₖ at a few nodes cₖ. Fitted by `PointToPlaneICP.warp(of:nodes:radius:)`, it
/// takes up the differences between clean instances that vary smoothly over a part (natural
/// products, loose tolerances), while a dent, chip or crack — too small for its fall-off — remains.
public struct SmoothWarp: Sendable, Equatable {
    /// The nodes cₖ.
    public let nodes: [SIMD3<Float>]
    /// The displacement uₖ at each node.
    public var displacements: [SIMD3<Float>]
    /// σ, the fall-off of every node's weight.
    public let radius: Float

    /// The warp with `displacements` at `nodes` (one each) and fall-off `radius` (> 0).
    public init(nodes: [SIMD3<Float>], displacements: [SIMD3<Float>], radius: Float) {
        precondition(nodes.count == displacements.count && radius > 0, "a warp needs one displacement per node and a positive radius")
        self.nodes = nodes
        self.displacements = displacements
        self.radius = radius
    }

    /// The warp that moves nothing.
    public static func identity(nodes: [SIMD3<Float>], radius: Float) -> SmoothWarp {
        SmoothWarp(nodes: nodes, displacements: Array(repeating: .zero, count: nodes.count), radius: radius)
    }

    /// The weight of every node at `point`, exp(−|point − cₖ|² / 2σ²), written into `weights`.
    func weights(at point: SIMD3<Float>, into weights: inout [Float]) {
        let scale = -1 / (2 * radius * radius)
        for (k, node) in nodes.enumerated() {
            let offset = point - node
            weights[k] = exp(scale * (offset * offset).sum())
        }
    }

    /// Every point of `cloud` moved (labels kept).
    public func apply(to cloud: PointCloud) -> PointCloud {
        var weights = [Float](repeating: 0, count: nodes.count)
        var coordinates = [Float]()
        coordinates.reserveCapacity(3 * cloud.count)
        for i in 0..<cloud.count {
            var moved = cloud[i]
            self.weights(at: moved, into: &weights)
            for (weight, displacement) in zip(weights, displacements) { moved += weight * displacement }
            coordinates.append(moved.x)
            coordinates.append(moved.y)
            coordinates.append(moved.z)
        }
        return PointCloud(coordinates: coordinates, labels: cloud.labels)
    }
}
