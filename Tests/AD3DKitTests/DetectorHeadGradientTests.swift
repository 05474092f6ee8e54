import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DNN
@testable import AD3DModels

/// Each detector-head module's backward pass against finite differences (small sizes: G = 6).
@Suite("Detector head gradients")
struct DetectorHeadGradientTests {
    let features = Tensor.gaussian([6, 8], seed: 31)
    let centers = randomCenters(6, seed: 32)

    @Test(arguments: Activation.allCases)
    func featureAdaptor(activation: Activation) throws {
        var configuration = DetectorHeadConfiguration.tiny()
        configuration.adaptorActivation = activation
        let head = try DetectorHead(configuration: configuration, seed: 1)
        checkParameterGradients(head.adaptor) { adaptor, scope in adaptor(scope.constant(features), scope) }
        checkInputGradients([features]) { v in head.adaptor(v[0], ParameterScope(tape: v[0].tape)) }
    }

    /// With the transport plan held fixed (it is a constant in the backward pass, SwAV-style),
    /// the aggregation and fusion are differentiated exactly.
    @Test func contextAggregationWithFixedPlan() throws {
        let head = try DetectorHead(configuration: .tiny(), seed: 2)
        let adapted = Tensor.gaussian([6, 4], seed: 33)
        let weights = head.context.transportWeights(adapted)
        checkParameterGradients(head.context) { context, scope in
            context.aggregate(scope.constant(adapted), weights: weights, scope)
        }
        checkInputGradients([adapted]) { v in head.context.aggregate(v[0], weights: weights, ParameterScope(tape: v[0].tape)) }
    }

    @Test func contextAggregationSwitchedOff() throws {
        let head = try DetectorHead(configuration: .tiny(contextAggregation: false), seed: 3)
        #expect(head.context.prototypes == nil)
        let adapted = Tensor.gaussian([6, 4], seed: 34)
        checkParameterGradients(head.context) { context, scope in context(scope.constant(adapted), scope) }
    }

    @Test(arguments: DiscriminatorKind.allCases)
    func discriminator(kind: DiscriminatorKind) throws {
        let head = try DetectorHead(configuration: .tiny(discriminator: kind), seed: 4)
        let tokens = Tensor.gaussian([6, 8], seed: 35)
        checkParameterGradients(head.discriminator) { discriminator, scope in
            discriminator(scope.constant(tokens), centers: centers, scope)
        }
        checkInputGradients([tokens]) { v in head.discriminator(v[0], centers: centers, ParameterScope(tape: v[0].tape)) }
    }

    @Test func transformerBlockWithTwoHeads() {
        var generator = SeededGenerator(seed: 5)
        let block = TransformerBlock(dimensions: 4, headCount: 2, hiddenDimensions: 6, generator: &generator)
        let x = Tensor.gaussian([5, 4], seed: 36)
        checkParameterGradients(block) { block, scope in block(scope.constant(x), scope) }
        checkInputGradients([x]) { v in block(v[0], ParameterScope(tape: v[0].tape)) }
    }

    /// The whole training objective: adaptor → corruption → aggregation (plan fixed) →
    /// discriminator → balanced BCE over a clean and a corrupted copy.
    @Test func fullTrainingLoss() throws {
        let head = try DetectorHead(configuration: .tiny(), seed: 6)
        let noise = 0.5 * Tensor.gaussian([6, 4], seed: 37)
        let targets: [Float] = [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]
        let weights = DetectorHeadTrainer.lossWeights(targets: targets, balance: true)
        let adapted = head.adapt(features)
        let cleanPlan = head.context.transportWeights(adapted), noisyPlan = head.context.transportWeights(adapted + noise)
        checkParameterGradients(head) { head, scope in
            let a = head.adaptor(scope.constant(features), scope.child("adaptor"))
            let copies = [(a, cleanPlan), (a + scope.constant(noise), noisyPlan)].map { tokens, plan in
                head.discriminator(
                    head.context.aggregate(tokens, weights: plan, scope.child("context")), centers: centers,
                    scope.child("discriminator"))
            }
            return Variable.concatenate(copies, alongAxis: 0).binaryCrossEntropyWithLogits(targets: targets, weights: weights)
        }
    }
}
