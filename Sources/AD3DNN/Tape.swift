import AD3DTensor

/// Reverse-mode automatic differentiation by recording: every differentiable operation on
/// `Variable`s appends its backward rule to a tape, and `backward(from:)` replays them in reverse.
///
/// One tape serves one forward/backward pass (one training step). Parameters enter through
/// `parameter(named:_:)`, which returns the same leaf however often a module is applied, so the
/// gradients of a module shared by several sequences of a mini-batch add up. A tape created with
/// `isRecording: false` keeps nothing: operations only compute values, which is the inference path.
public final class Tape {
    /// Whether operations record backward rules (false: inference, values only).
    public let isRecording: Bool
    private var shapes: [[Int]] = []
    private var backwardRules: [((Tensor) -> Void)?] = []
    private var gradients: [Tensor?] = []
    private var parameterIDs: [String: Int] = [:]

    /// A tape that records (training) or only computes values (inference).
    public init(isRecording: Bool = true) {
        self.isRecording = isRecording
    }

    /// A value that takes no gradient.
    public func constant(_ value: Tensor) -> Variable {
        Variable(value: value, id: nil, tape: self)
    }

    /// The leaf for the trainable tensor `name`; asking again for the same name returns the same
    /// leaf (the value of the first request is kept). On a non-recording tape it is a constant.
    public func parameter(named name: String, _ value: Tensor) -> Variable {
        guard isRecording else { return constant(value) }
        if let id = parameterIDs[name] { return Variable(value: value, id: id, tape: self) }
        let leaf = appendNode(value, rule: nil)
        parameterIDs[name] = leaf.id
        return leaf
    }

    /// A differentiable input that is not a named parameter (tests and gradient checks).
    public func leaf(_ value: Tensor) -> Variable {
        isRecording ? appendNode(value, rule: nil) : constant(value)
    }

    /// The result of an operation on `inputs`: a constant when nothing is recorded or no input
    /// needs a gradient, otherwise a node whose `rule` receives the output gradient and passes
    /// it on with `accumulate`/`accumulateGradient`.
    func record(_ value: Tensor, inputs: [Variable], rule: @escaping (Tensor) -> Void) -> Variable {
        guard isRecording, inputs.contains(where: \.requiresGradient) else { return constant(value) }
        return appendNode(value, rule: rule)
    }

    private func appendNode(_ value: Tensor, rule: ((Tensor) -> Void)?) -> Variable {
        let id = shapes.count
        shapes.append(value.shape)
        backwardRules.append(rule)
        gradients.append(nil)
        return Variable(value: value, id: id, tape: self)
    }

    /// Adds `delta` to the gradient of `variable` (ignored for constants).
    func accumulate(_ delta: Tensor, into variable: Variable) {
        guard let id = variable.id else { return }
        precondition(delta.shape == shapes[id], "gradient shape \(delta.shape) for a value of shape \(shapes[id])")
        if gradients[id] == nil {
            gradients[id] = delta
        } else {
            gradients[id]!.add(delta)
        }
    }

    /// Runs `update` on the gradient buffer of `variable` (zeros when none yet), so that kernels
    /// such as `gemm` with `beta: 1` can accumulate in place; nothing happens for constants.
    func accumulateGradient(of variable: Variable, _ update: (inout Tensor) -> Void) {
        guard let id = variable.id else { return }
        var gradient = gradients[id] ?? Tensor(shape: shapes[id])
        gradients[id] = nil
        update(&gradient)
        gradients[id] = gradient
    }

    /// Back-propagates from `output` with upstream gradient `seed` (ones when nil, e.g. a scalar
    /// loss). Gradients of intermediate nodes are released once used; those of leaves remain.
    public func backward(from output: Variable, seed: Tensor? = nil) {
        precondition(isRecording, "backward on a tape that does not record")
        guard let root = output.id else { return }
        accumulate(seed ?? Tensor(shape: output.value.shape, repeating: 1), into: output)
        for id in stride(from: root, through: 0, by: -1) {
            guard let rule = backwardRules[id], let gradient = gradients[id] else { continue }
            gradients[id] = nil
            rule(gradient)
        }
        backwardRules.removeAll()
    }

    /// The gradient accumulated for a leaf after `backward`, or nil when none reached it.
    public func gradient(of variable: Variable) -> Tensor? {
        variable.id.flatMap { gradients[$0] }
    }

    /// Gradients of every named parameter that received one, by name.
    public func parameterGradients() -> [String: Tensor] {
        parameterIDs.compactMapValues { gradients[$0] }
    }
}

/// A tensor value on a `Tape`, with the identity the tape uses to route its gradient.
public struct Variable {
    /// The forward value.
    public let value: Tensor
    /// Index of the tape node, nil for constants (no gradient flows to them).
    let id: Int?
    /// The tape that owns this value; it must outlive the variable.
    unowned let tape: Tape

    /// Shape of the value.
    public var shape: [Int] { value.shape }

    /// Whether gradients flow to this value.
    public var requiresGradient: Bool { id != nil }
}
