/// Supplies every parameter of the encoder's module tree exactly once, by clean dotted name: either
/// taken from a weight dictionary (recording what is missing or mis-shaped) or freshly initialised
/// as Point-MAE does (design/pointmae.md §5 Initialisation). Modules declare each parameter once and
/// work with both sources.
struct PointMAEParameterSource {
    /// How a parameter starts when it is initialised rather than loaded.
    enum Initialization {
        /// Linear and convolution weights: truncated normal, std 0.02.
        case truncatedNormal
        /// Biases, BatchNorm β and running mean.
        case zeros
        /// LayerNorm and BatchNorm γ, BatchNorm running variance.
        case ones
    }

    private enum Origin {
        case weights([String: Tensor])
        case random(SeededGenerator)
    }

    private var origin: Origin
    private var used: Set<String> = []
    private var missing: [String] = []
    private var misshapen: [PointMAEShapeMismatch] = []

    /// Takes parameters from `weights`.
    init(weights: [String: Tensor]) { origin = .weights(weights) }

    /// Initialises parameters from a generator seeded with `seed`, in declaration order.
    init(seed: UInt64) { origin = .random(SeededGenerator(seed: seed)) }

    /// The parameter `name` of shape `shape`. A missing or mis-shaped loaded tensor is recorded and
    /// replaced by zeros so that construction can go on and report every problem at once.
    mutating func tensor(_ name: String, shape: [Int], initialization: Initialization) -> Tensor {
        precondition(used.insert(name).inserted, "parameter \(name) declared twice")
        switch origin {
        case .weights(let weights):
            guard let tensor = weights[name] else {
                missing.append(name)
                return Tensor(shape: shape)
            }
            guard tensor.shape == shape else {
                misshapen.append(PointMAEShapeMismatch(name: name, expected: shape, actual: tensor.shape))
                return Tensor(shape: shape)
            }
            return tensor
        case .random(var generator):
            let tensor = Self.initialize(shape: shape, initialization, using: &generator)
            origin = .random(generator)
            return tensor
        }
    }

    /// Throws `PointMAEWeightsError.mismatchedWeights` if any loaded tensor was missing, mis-shaped or
    /// never asked for.
    func finish() throws {
        guard case .weights(let weights) = origin else { return }
        let unexpected = weights.keys.filter { !used.contains($0) }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, misshapen.isEmpty else {
            throw PointMAEWeightsError.mismatchedWeights(missing: missing, unexpected: unexpected, misshapen: misshapen)
        }
    }

    private static func initialize(shape: [Int], _ initialization: Initialization, using generator: inout SeededGenerator) -> Tensor {
        switch initialization {
        case .zeros: return Tensor(shape: shape, repeating: 0)
        case .ones: return Tensor(shape: shape, repeating: 1)
        case .truncatedNormal:
            // timm's trunc_normal_(std=.02) cuts at the absolute bounds ±2, i.e. ±100σ: redraws are
            // practically never needed, but the bound is kept to match the reference's distribution.
            let count = shape.reduce(1, *)
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                var sample: Float
                repeat { sample = 0.02 * generator.nextGaussian() } while abs(sample) > 2
                values[i] = sample
            }
            return Tensor(shape: shape, storage: values)
        }
    }
}
