import AD3DNN
import AD3DSupport
import AD3DTensor

/// Spatial context aggregation by optimal transport (method step 6).
///
/// `M` learned prototypes `q_j` summarise the category's global structure. Each adapted token is
/// matched to them by entropic OT on L2-normalised vectors (cost `‖â_i − q̂_j‖²`, uniform
/// marginals, log-domain Sinkhorn); the plan, row-normalised to `w_ij`, gives the token's context
/// `c_i = Σ_j w_ij q_j`, and `z_i = fuse([a_i ; c_i ; a_i − c_i])`. A token that looks normal alone
/// but not for where it sits gets a large `a_i − c_i`.
///
/// The plan is a constant in the backward pass (as in SwAV, Caron et al. 2020): gradients reach
/// the prototypes only through `c_i`, and the adaptor only through `a_i`. Differentiating through
/// the Sinkhorn iterations would cost `iterations` extra passes for a signal SwAV found unnecessary.
public struct ContextAggregation: ParameterContainer, Sendable {
    /// Prototypes `[M, D]`; nil when aggregation is switched off (then `z = fuse(a)`).
    public var prototypes: Tensor?
    /// `3D → d` (or `D → d` without aggregation).
    public var fuse: Linear
    /// Entropic regularisation ε.
    public let epsilon: Float
    /// Sinkhorn iterations.
    public let iterations: Int

    /// A randomly initialised module; the trainer replaces the prototypes by k-means centroids.
    public init(configuration: DetectorHeadConfiguration, generator: inout SeededGenerator) {
        let width = configuration.adaptedDimensions
        if configuration.contextAggregation {
            let count = configuration.prototypeCount * width
            prototypes = Tensor(shape: [configuration.prototypeCount, width], storage: (0..<count).map { _ in generator.nextGaussian() })
        }
        fuse = Linear(
            inputDimensions: configuration.contextAggregation ? 3 * width : width,
            outputDimensions: configuration.modelDimensions, generator: &generator)
        epsilon = configuration.sinkhornEpsilon
        iterations = configuration.sinkhornIterations
    }

    /// Row-normalised transport weights `w` (`[G, M]`) of adapted tokens `[G, D]` to the prototypes.
    public func transportWeights(_ adapted: Tensor) -> Tensor {
        guard let prototypes else { preconditionFailure("transportWeights without prototypes (aggregation is off)") }
        let tokens = adapted.l2NormalizedRows().normalized, centers = prototypes.l2NormalizedRows().normalized
        // ‖x − y‖² = 2 − 2·x·y for unit vectors.
        var cost = tokens.matmul(centers, transposeB: true)
        cost.storage.withUnsafeMutableBufferPointer { c in
            for i in c.indices { c[i] = Swift.max(2 - 2 * c[i], 0) }
        }
        return Sinkhorn.rowNormalizedPlan(cost: cost, epsilon: epsilon, iterations: iterations)
    }

    /// `fuse([a ; c ; a − c])` with `c = w · q` for given transport `weights` (`[G, M]`, a constant).
    public func aggregate(_ adapted: Variable, weights: Tensor, _ scope: ParameterScope) -> Variable {
        guard let prototypes else { preconditionFailure("aggregate without prototypes (aggregation is off)") }
        let context = scope.constant(weights).matmul(scope.parameter("prototypes", prototypes))  // [G, D]
        return fuse(Variable.concatenate([adapted, context, adapted - context], alongAxis: 1), scope.child("fuse"))
    }

    /// Adapted tokens `[G, D]` → fused tokens `[G, d]`.
    public func callAsFunction(_ adapted: Variable, _ scope: ParameterScope) -> Variable {
        guard prototypes != nil else { return fuse(adapted, scope.child("fuse")) }
        return aggregate(adapted, weights: transportWeights(adapted.value), scope)
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        if prototypes != nil { try body(parameterName(prefix, "prototypes"), &prototypes!) }
        try fuse.visitParameters(prefix: parameterName(prefix, "fuse"), body)
    }
}
