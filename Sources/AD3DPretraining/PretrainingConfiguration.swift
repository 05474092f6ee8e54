import AD3DModels
import AD3DNN
import Foundation

/// Everything that determines a pretraining run (Point-MAE's recipe, adapted to how the detector
/// uses the encoder): model, data geometry, optimisation and seed. Stored in every state file, so a
/// resumed run can check it continues the same run.
public struct PretrainingConfiguration: Codable, Sendable, Equatable {
    /// The encoder trained; its grouping fields (G, K) are what the exported encoder will use.
    public var encoder: PointMAEConfiguration
    /// Decoder blocks (Point-MAE uses 4; a light decoder of 2 suffices for a small encoder).
    public var decoderDepth = 2
    /// Points sampled on each whole shape before cropping (the detector subsamples scans to 8192).
    public var pointCount = 8192
    /// Points of the local crop around a random seed point.
    public var cropPointCount = 1024
    /// Groups per crop.
    public var groupCount = 64
    /// Points per group.
    public var groupSize = 32
    /// Fraction of groups masked (exactly ⌊ratio·G⌋ per sample).
    public var maskRatio = 0.6
    /// Range of the three anisotropic scale factors, applied before the diagonal normalisation.
    public var scaleRange: ClosedRange<Float> = (2.0 / 3.0)...1.5
    /// Samples per step.
    public var batchSize = 16
    /// Optimiser steps.
    public var steps = 1000
    /// Steps of linear warm-up before the cosine decay.
    public var warmupSteps = 50
    /// Peak learning rate.
    public var learningRate: Float = 1e-3
    /// Learning rate at the last step.
    public var minimumLearningRate: Float = 1e-6
    /// AdamW's decoupled weight decay (matrices only).
    public var weightDecay: Float = 0.05
    /// Whether masked groups also go through the patch encoder (Point-MAE's way; see `MaskedAutoencoder.loss`).
    public var encodingMaskedPatches = false
    /// Weight of the sampling-consistency loss (0: off): each shape is sampled twice and the patch
    /// encoder's tokens of the same visible groups in both samplings are pulled into correlation
    /// (`MaskedAutoencoder.loss`). Validation measures reconstruction alone.
    public var consistencyWeight: Float = 0
    /// Held-out validation shapes.
    public var validationCount = 32
    /// Seed of initialisation, data and masks.
    public var seed: UInt64 = 0

    /// The defaults with `encoder`.
    public init(encoder: PointMAEConfiguration) {
        self.encoder = encoder
    }

    /// Masked groups per sample, ⌊ratio·G⌋.
    public var maskedCount: Int { Int((maskRatio * Double(groupCount)).rounded(.down)) }

    /// The learning-rate schedule: linear warm-up from 0 to the peak, then cosine to the minimum.
    public var schedule: CosineSchedule {
        CosineSchedule(peak: learningRate, minimum: minimumLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }

    /// Throws `PretrainingError.invalidSetting` for any inconsistent value.
    public func validate() throws {
        func fail(_ name: String, _ problem: String) -> PretrainingError { .invalidSetting(name: name, problem: problem) }
        do { try encoder.validate() } catch { throw fail("encoder", error.localizedDescription) }
        for (name, value) in [("decoder depth", decoderDepth), ("groups", groupCount), ("group size", groupSize),
                              ("batch size", batchSize), ("steps", steps)] where value < 1 {
            throw fail(name, "must be at least 1, got \(value)")
        }
        guard cropPointCount >= max(groupCount, groupSize) else {
            throw fail("crop points", "\(cropPointCount) is fewer than the groups (\(groupCount)) or the group size (\(groupSize))")
        }
        guard pointCount >= cropPointCount else { throw fail("points", "\(pointCount) is fewer than the crop (\(cropPointCount))") }
        guard maskedCount >= 1, maskedCount < groupCount else {
            throw fail("mask ratio", "\(maskRatio) masks \(maskedCount) of \(groupCount) groups; at least one must be masked and one visible")
        }
        guard scaleRange.lowerBound > 0 else { throw fail("scale range", "factors must be positive") }
        guard (0..<steps).contains(warmupSteps) else { throw fail("warm-up steps", "\(warmupSteps) must lie in 0..<\(steps)") }
        guard learningRate > 0, minimumLearningRate >= 0, minimumLearningRate <= learningRate, weightDecay >= 0 else {
            throw fail("learning rate", "need 0 ≤ minimum ≤ peak, peak > 0 and weight decay ≥ 0")
        }
        guard consistencyWeight >= 0, consistencyWeight.isFinite else { throw fail("consistency weight", "must be finite and not negative") }
        guard validationCount >= 0 else { throw fail("validation", "must not be negative") }
    }
}

extension PretrainingConfiguration {
    /// Decodes a stored configuration; one written before the consistency loss existed has weight 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(encoder: try container.decode(PointMAEConfiguration.self, forKey: .encoder))
        decoderDepth = try container.decode(Int.self, forKey: .decoderDepth)
        pointCount = try container.decode(Int.self, forKey: .pointCount)
        cropPointCount = try container.decode(Int.self, forKey: .cropPointCount)
        groupCount = try container.decode(Int.self, forKey: .groupCount)
        groupSize = try container.decode(Int.self, forKey: .groupSize)
        maskRatio = try container.decode(Double.self, forKey: .maskRatio)
        scaleRange = try container.decode(ClosedRange<Float>.self, forKey: .scaleRange)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        steps = try container.decode(Int.self, forKey: .steps)
        warmupSteps = try container.decode(Int.self, forKey: .warmupSteps)
        learningRate = try container.decode(Float.self, forKey: .learningRate)
        minimumLearningRate = try container.decode(Float.self, forKey: .minimumLearningRate)
        weightDecay = try container.decode(Float.self, forKey: .weightDecay)
        encodingMaskedPatches = try container.decode(Bool.self, forKey: .encodingMaskedPatches)
        consistencyWeight = try container.decodeIfPresent(Float.self, forKey: .consistencyWeight) ?? 0
        validationCount = try container.decode(Int.self, forKey: .validationCount)
        seed = try container.decode(UInt64.self, forKey: .seed)
    }
}
