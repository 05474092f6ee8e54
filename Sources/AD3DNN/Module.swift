import AD3DTensor

/// A module's trainable tensors, visited by dotted name (`blocks.0.attn.qkv.weight`).
///
/// One traversal serves reading (`namedParameters`), loading (`loadParameters`) and optimiser
/// updates, so names and order are defined once per module.
public protocol ParameterContainer {
    /// Calls `body` with the full name (`prefix` joined with the local name) and the storage of
    /// every parameter, children included, in a fixed order.
    mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows
}

extension ParameterContainer {
    /// Every parameter by dotted name.
    public func namedParameters(prefix: String = "") -> [String: Tensor] {
        var copy = self
        var result: [String: Tensor] = [:]
        copy.visitParameters(prefix: prefix) { name, tensor in result[name] = tensor }
        return result
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int {
        namedParameters().values.reduce(0) { $0 + $1.count }
    }

    /// Replaces every parameter with the tensor of the same name in `tensors`, which must hold
    /// exactly this module's names with the same shapes.
    public mutating func loadParameters(_ tensors: [String: Tensor], prefix: String = "") throws(ModelCheckpointError) {
        let expected = namedParameters(prefix: prefix)
        let missing = expected.keys.filter { tensors[$0] == nil }
        guard missing.isEmpty else { throw .missingTensors(names: missing.sorted()) }
        let unexpected = tensors.keys.filter { expected[$0] == nil }
        guard unexpected.isEmpty else { throw .unexpectedTensors(names: unexpected.sorted()) }
        for (name, tensor) in expected.sorted(by: { $0.key < $1.key }) where tensors[name]!.shape != tensor.shape {
            throw .shapeMismatch(name: name, expected: tensor.shape, actual: tensors[name]!.shape)
        }
        visitParameters(prefix: prefix) { name, tensor in tensor = tensors[name]! }
    }
}

/// The dotted name of `child` under `prefix`.
package func parameterName(_ prefix: String, _ child: String) -> String {
    prefix.isEmpty ? child : prefix + "." + child
}

/// Where a module's forward pass runs: the tape, and the module's dotted path, through which
/// parameters become tape leaves under the same names as `visitParameters` gives them.
public struct ParameterScope {
    /// The tape that records (or, for inference, only evaluates) the forward pass.
    public let tape: Tape
    /// The dotted path of the current module ("" at the root).
    public let path: String

    /// The root scope of a forward pass on `tape`.
    public init(tape: Tape, path: String = "") {
        self.tape = tape
        self.path = path
    }

    /// The scope of the child module `name`.
    public func child(_ name: String) -> ParameterScope {
        ParameterScope(tape: tape, path: parameterName(path, name))
    }

    /// The tape leaf of this module's parameter `name` holding `value`.
    public func parameter(_ name: String, _ value: Tensor) -> Variable {
        tape.parameter(named: parameterName(path, name), value)
    }

    /// A constant (no gradient) on this scope's tape.
    public func constant(_ value: Tensor) -> Variable {
        tape.constant(value)
    }
}
