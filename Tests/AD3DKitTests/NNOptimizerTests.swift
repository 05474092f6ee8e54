import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DNN

/// A minimal module with one decayed matrix and one undecayed vector.
private struct TinyModule: ParameterContainer {
    var weight = Tensor(shape: [2, 2], storage: [1, -2, 0.5, 3])
    var bias = Tensor(shape: [2], storage: [0.25, -1])

    mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try body(parameterName(prefix, "fc.weight"), &weight)
        try body(parameterName(prefix, "fc.bias"), &bias)
    }
}

/// AdamW, the cosine schedule and k-means against hand computations.
@Suite("NN optimiser")
struct NNOptimizerTests {
    /// PyTorch AdamW written out in Double for one parameter element.
    private struct ReferenceAdamW {
        var m = 0.0, v = 0.0, t = 0
        mutating func step(_ p: Double, _ g: Double, lr: Double, decay: Double) -> Double {
            t += 1
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mHat = m / (1 - pow(0.9, Double(t))), vHat = v / (1 - pow(0.999, Double(t)))
            return p * (1 - lr * decay) - lr * mHat / (vHat.squareRoot() + 1e-8)
        }
    }

    @Test func twoStepsMatchHandComputation() {
        var module = TinyModule()
        var optimizer = AdamW(weightDecay: 0.1)
        let gradients = [
            ["fc.weight": Tensor(shape: [2, 2], storage: [0.5, -1, 2, 0]), "fc.bias": Tensor(shape: [2], storage: [1, -0.25])],
            ["fc.weight": Tensor(shape: [2, 2], storage: [-0.3, 0.7, 1, 4]), "fc.bias": Tensor(shape: [2], storage: [0.5, 0.5])],
        ]
        var expectedWeight = module.weight.storage.map(Double.init), expectedBias = module.bias.storage.map(Double.init)
        var weightState = [ReferenceAdamW](repeating: .init(), count: 4), biasState = [ReferenceAdamW](repeating: .init(), count: 2)
        for (step, lr) in [(0, 0.01), (1, 0.005)] {
            optimizer.step(&module, gradients: gradients[step], learningRate: Float(lr))
            for i in 0..<4 {
                expectedWeight[i] = weightState[i].step(expectedWeight[i], Double(gradients[step]["fc.weight"]!.storage[i]), lr: lr, decay: 0.1)
            }
            for i in 0..<2 {
                // Biases are not decayed.
                expectedBias[i] = biasState[i].step(expectedBias[i], Double(gradients[step]["fc.bias"]!.storage[i]), lr: lr, decay: 0)
            }
            expectClose(module.weight.storage, expectedWeight.map(Float.init), rtol: 1e-5, atol: 1e-6)
            expectClose(module.bias.storage, expectedBias.map(Float.init), rtol: 1e-5, atol: 1e-6)
        }
        #expect(optimizer.stepCount == 2)
    }

    @Test func decayAppliesOnlyToLinearMatrices() {
        #expect(AdamW.decays(name: "adaptor.fc1.weight", shape: [8, 4]))
        #expect(!AdamW.decays(name: "adaptor.fc1.bias", shape: [8]))
        #expect(!AdamW.decays(name: "discriminator.norm.weight", shape: [8]))
        #expect(!AdamW.decays(name: "context.prototypes", shape: [4, 8]))
    }

    @Test func cosineScheduleWithWarmup() {
        let schedule = CosineSchedule(peak: 1e-3, minimum: 1e-5, warmupSteps: 4, totalSteps: 14)
        expectClose((0..<4).map(schedule.learningRate(at:)), [2.5e-4, 5e-4, 7.5e-4, 1e-3], rtol: 1e-6)
        // Steps 4…13 span the cosine: p = (t − 4)/9.
        expectClose(schedule.learningRate(at: 4), 1e-3, rtol: 1e-6)
        let middle = 1e-5 + 0.5 * (1 + cos(Double.pi * 4.5 / 9)) * (1e-3 - 1e-5)
        expectClose(schedule.learningRate(at: 8) + schedule.learningRate(at: 9), Float(2 * middle), rtol: 1e-5)
        expectClose(schedule.learningRate(at: 13), 1e-5, rtol: 1e-5)
        let values = (4..<14).map(schedule.learningRate(at:))
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func kMeansFindsSeparatedClustersDeterministically() {
        let centres: [[Float]] = [[0, 0], [10, 0], [0, 10]]
        var noise = SeededGenerator(seed: 5)
        var points: [Float] = []
        for i in 0..<60 { points += centres[i % 3].map { $0 + 0.3 * noise.nextGaussian() } }
        let data = Tensor(shape: [60, 2], storage: points)
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let found = KMeans.centroids(of: data, k: 3, iterations: 10, generator: &a)
        #expect(found == KMeans.centroids(of: data, k: 3, iterations: 10, generator: &b))
        for centre in centres {
            let nearest = (0..<3).map { j in hypot(found.storage[2 * j] - centre[0], found.storage[2 * j + 1] - centre[1]) }.min()!
            #expect(nearest < 0.3)
        }
    }
}
