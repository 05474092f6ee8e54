import AD3DSupport
import AD3DTensor

/// The selective anomalous feature generator (SAFG, method Training): synthesises local, partial
/// corruptions of adapted tokens as hard negatives for the discriminator. Training only.
///
/// Selective mode picks 1–3 regions (a random seed token and its nearest tokens by centre
/// distance, 0.5–5% of `G` each) and adds `N(0, σ_c²)` with `σ_c = s · std_c(a)` (`s` random per
/// region, `std_c` the per-channel standard deviation of the sample's adapted tokens) to a random
/// subset of the channels. Global mode (SimpleNet-style ablation) adds such noise to every channel
/// of every token.
public struct AnomalousFeatureGenerator: Sendable {
    /// Where and how strongly tokens are corrupted.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// Local regions, a subset of channels (the method).
        case selective
        /// All tokens, all channels (ablation).
        case global
    }

    /// Ranges the generator draws from.
    public struct Configuration: Codable, Sendable, Equatable {
        /// Selective or global corruption.
        public var mode = Mode.selective
        /// Number of regions per corrupted copy.
        public var regionCount = 1...3
        /// Tokens per region as a fraction of `G` (at least one token).
        public var regionFraction: ClosedRange<Float> = 0.005...0.05
        /// Noise scale `s` relative to the per-channel standard deviation.
        public var noiseScale: ClosedRange<Float> = 0.5...2
        /// Fraction of the channels corrupted in a region.
        public var channelFraction: ClosedRange<Float> = 0.25...1

        /// The method's defaults.
        public init() {}

        /// Why these ranges are unusable, or nil.
        var invalidReason: String? {
            if regionCount.lowerBound < 1 { return "generator.regionCount must start at 1 or more, got \(regionCount)" }
            if !(regionFraction.lowerBound > 0 && regionFraction.upperBound <= 1) {
                return "generator.regionFraction must lie in (0, 1], got \(regionFraction)"
            }
            if !(noiseScale.lowerBound >= 0) { return "generator.noiseScale must not be negative, got \(noiseScale)" }
            if !(channelFraction.lowerBound > 0 && channelFraction.upperBound <= 1) {
                return "generator.channelFraction must lie in (0, 1], got \(channelFraction)"
            }
            return nil
        }
    }

    /// One corrupted copy: `ã = a + noise`, with a 0/1 label per token.
    public struct Corruption: Sendable {
        /// Noise to add to the adapted tokens, `[G, D]` (zero on clean tokens).
        public var noise: Tensor
        /// 1 for corrupted tokens, 0 otherwise (`G` entries).
        public var labels: [Float]
        /// Token indices of each region (selective mode; one region of all tokens in global mode).
        public var regions: [[Int]]
        /// Corrupted channels of each region.
        public var channels: [[Int]]
    }

    /// The ranges in use.
    public var configuration: Configuration

    /// A generator drawing from `configuration`'s ranges.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// A random corruption of `adapted` (`[G, D]`) whose tokens sit at `centers` (`[G, 3]`).
    public func corruption(adapted: Tensor, centers: Tensor, generator: inout SeededGenerator) -> Corruption {
        let (count, width) = (adapted.shape[0], adapted.shape[1])
        let deviations = ColumnStatistics(rowsOf: [adapted]).deviations.map(Float.init)
        var noise = Tensor(shape: adapted.shape)
        var labels = [Float](repeating: 0, count: count)
        var regions: [[Int]] = [], channelSets: [[Int]] = []
        let regionTotal = configuration.mode == .global ? 1 : generator.integer(in: configuration.regionCount)
        for _ in 0..<regionTotal {
            let tokens: [Int], channels: [Int]
            switch configuration.mode {
            case .global:
                (tokens, channels) = (Array(0..<count), Array(0..<width))
            case .selective:
                let size = Swift.min(count, Swift.max(1, Int((generator.uniform(configuration.regionFraction) * Float(count)).rounded())))
                tokens = nearestTokens(to: Int(generator.next() % UInt64(count)), centers: centers, count: size)
                let channelCount = Swift.min(width, Swift.max(1, Int((generator.uniform(configuration.channelFraction) * Float(width)).rounded())))
                channels = generator.sample(channelCount, from: width).sorted()
            }
            let scale = generator.uniform(configuration.noiseScale)
            noise.storage.withUnsafeMutableBufferPointer { n in
                for token in tokens {
                    labels[token] = 1
                    for channel in channels { n[token * width + channel] += scale * deviations[channel] * generator.nextGaussian() }
                }
            }
            regions.append(tokens)
            channelSets.append(channels)
        }
        return Corruption(noise: noise, labels: labels, regions: regions, channels: channelSets)
    }

    /// The `count` tokens nearest to token `seed` by centre distance (the seed first; ties by index).
    private func nearestTokens(to seed: Int, centers: Tensor, count: Int) -> [Int] {
        let c = centers.storage
        let distances = (0..<centers.shape[0]).map { i -> Float in
            let dx = c[3 * i] - c[3 * seed], dy = c[3 * i + 1] - c[3 * seed + 1], dz = c[3 * i + 2] - c[3 * seed + 2]
            return dx * dx + dy * dy + dz * dz
        }
        let order = distances.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }
        return Array(order.prefix(count))
    }
}
