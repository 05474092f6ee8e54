import AD3DSupport
import AD3DTensor

/// How a freshly initialised (not loaded) encoder draws its weights.
public enum PointMAEInitialization: Sendable, Equatable {
    /// Point-MAE's own: truncated normal with std 0.02. The starting point
    /// of pretraining; used as is, its patch tokens come out ~10⁻⁵ in size and are drowned by the
    /// positional embedding, so the features say where a patch is, not what it looks like.
    case pointMAE
    /// Variance-preserving (He) weights, std `√(2 / fan_in)`, for an encoder used without
    /// pretraining; the first patch layer is further divided by `inputScale`, the typical length
    /// of a patch's relative coordinates, so that patch tokens are of unit order.
    case varianceScaled(inputScale: Float)
}

/// Supplies every parameter of the encoder's module tree exactly once, by clean dotted name: either
/// taken from a weight dictionary (recording what is missing or mis-shaped) or freshly initialised
/// as Point-MAE does. Modules declare each parameter once and
/// work with both sources.
struct PointMAEParameterSource {
    /// How a parameter starts when it is initialised rather than loaded.
    enum Initialization {
        /// Linear and convolution weights: truncated normal, std 0.02 (or variance-scaled).
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
    private var scheme = PointMAEInitialization.pointMAE

    /// Takes parameters from `weights`.
    init(weights: [String: Tensor]) { origin = .weights(weights) }

    /// Initialises parameters from a generator seeded with `seed`, in declaration order.
    init(seed: UInt64, initialization: PointMAEInitialization = .pointMAE) {
        origin = .random(SeededGenerator(seed: seed))
        scheme = initialization
    }

    /// The weight that meets the patch coordinates first.
    static let firstPatchWeight = "encoder.patch.conv1.weight"

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
            let tensor = Self.initialize(
                shape: shape, initialization, deviation: weightDeviation(name, shape: shape), using: &generator)
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

    /// The standard deviation of a fresh weight of `shape` (`[out, in]`) under `scheme`.
    private func weightDeviation(_ name: String, shape: [Int]) -> Float {
        switch scheme {
        case .pointMAE:
            return 0.02
        case .varianceScaled(let inputScale):
            let deviation = (2 / Float(max(shape.last ?? 1, 1))).squareRoot()
            return name == Self.firstPatchWeight ? deviation / inputScale : deviation
        }
    }

    private static func initialize(
        shape: [Int], _ initialization: Initialization, deviation: Float, using generator: inout SeededGenerator
    ) -> Tensor {
        switch initialization {
        case .zeros: return Tensor(shape: shape, repeating: 0)
        case .ones: return Tensor(shape: shape, repeating: 1)
        case .truncatedNormal:
            // timm's trunc_normal_(std=.02) cuts at the absolute bounds ±2, i.e. ±100σ: redraws are
            // practically never needed, but the bound is kept to match the reference's distribution
            // (variance-scaled weights get the same ±100σ cut).
            let count = shape.reduce(1, *)
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                var sample: Float
                repeat { sample = deviation * generator.nextGaussian() } while abs(sample) > 100 * deviation
                values[i] = sample
            }
            return Tensor(shape: shape, storage: values)
        }
    }
}
