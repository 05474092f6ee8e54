import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DNN

/// `Σ_k Double(output_k) · weights_k`: the scalar whose gradient a seeded backward computes.
private func projected(_ output: Tensor, _ weights: Tensor) -> Double {
    zip(output.storage, weights.storage).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// At most `limit` element indices of a tensor of `count` elements, spread deterministically.
private func probeIndices(_ count: Int, limit: Int) -> [Int] {
    count <= limit ? Array(0..<count) : (0..<limit).map { $0 * count / limit }
}

/// Checks the tape's gradients of `function` with respect to each of `inputs` against central
/// finite differences of `Σ output ⊙ R` (R a fixed random projection), evaluated on a
/// non-recording tape with the loss accumulated in `Double`.
func checkInputGradients(
    _ inputs: [Tensor], step: Float = 1e-2, rtol: Float = 2e-2, atol: Float = 2e-3, limit: Int = 40,
    sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Variable]) -> Variable
) {
    let tape = Tape()
    let leaves = inputs.map { tape.leaf($0) }
    let output = function(leaves)
    let projection = Tensor.gaussian(output.shape, seed: 4242)
    tape.backward(from: output, seed: projection)
    func loss(_ values: [Tensor]) -> Double {
        let evaluation = Tape(isRecording: false)
        return projected(function(values.map { evaluation.constant($0) }).value, projection)
    }
    for (index, input) in inputs.enumerated() {
        let analytic = tape.gradient(of: leaves[index]) ?? Tensor(shape: input.shape)
        var numeric: [Float] = [], expected: [Float] = []
        for element in probeIndices(input.count, limit: limit) {
            var values = inputs
            values[index].storage[element] = input.storage[element] + step
            let plus = loss(values)
            values[index].storage[element] = input.storage[element] - step
            let minus = loss(values)
            numeric.append(Float((plus - minus) / (2 * Double(step))))
            expected.append(analytic.storage[element])
        }
        let mismatch = gradientMismatch(expected, numeric, rtol: rtol, atol: atol)
        #expect(mismatch == nil, "input \(index): \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
}

/// Checks the gradients a module's forward pass leaves on its named parameters against central
/// finite differences; also requires that every parameter receives a gradient.
func checkParameterGradients<Module: ParameterContainer>(
    _ module: Module, step: Float = 1e-2, rtol: Float = 2e-2, atol: Float = 2e-3, limit: Int = 12,
    sourceLocation: SourceLocation = #_sourceLocation, _ forward: (Module, ParameterScope) -> Variable
) {
    let tape = Tape()
    let output = forward(module, ParameterScope(tape: tape))
    let projection = Tensor.gaussian(output.shape, seed: 777)
    tape.backward(from: output, seed: projection)
    let gradients = tape.parameterGradients()
    let parameters = module.namedParameters()
    #expect(Set(gradients.keys) == Set(parameters.keys), "parameters without gradient", sourceLocation: sourceLocation)
    func loss(_ candidate: Module) -> Double {
        projected(forward(candidate, ParameterScope(tape: Tape(isRecording: false))).value, projection)
    }
    func perturbed(_ name: String, _ element: Int, by delta: Float) -> Module {
        var copy = module
        copy.visitParameters(prefix: "") { candidate, tensor in
            if candidate == name { tensor.storage[element] += delta }
        }
        return copy
    }
    for (name, tensor) in parameters.sorted(by: { $0.key < $1.key }) {
        guard let analytic = gradients[name] else { continue }
        var numeric: [Float] = [], expected: [Float] = []
        for element in probeIndices(tensor.count, limit: limit) {
            let difference = loss(perturbed(name, element, by: step)) - loss(perturbed(name, element, by: -step))
            numeric.append(Float(difference / (2 * Double(step))))
            expected.append(analytic.storage[element])
        }
        let mismatch = gradientMismatch(expected, numeric, rtol: rtol, atol: atol)
        #expect(mismatch == nil, "\(name): \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
}

/// A description of the worst analytic/numeric disagreement beyond `atol + rtol·|numeric|`, or nil.
private func gradientMismatch(_ analytic: [Float], _ numeric: [Float], rtol: Float, atol: Float) -> String? {
    var worst: (index: Int, ratio: Float)?
    for i in analytic.indices {
        let ratio = abs(analytic[i] - numeric[i]) / (atol + rtol * abs(numeric[i]))
        if !(ratio <= 1), worst == nil || !(ratio <= worst!.ratio) { worst = (i, ratio) }
    }
    return worst.map { "element \($0.index): analytic \(analytic[$0.index]) vs numeric \(numeric[$0.index])" }
}
