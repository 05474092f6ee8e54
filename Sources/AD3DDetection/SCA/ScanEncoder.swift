import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor

/// Encodes a whole scan with a frozen Point-MAE encoder: normalise it into the model frame,
/// subsample it to a fixed point budget (with a fixed seed, so a scan always gets the same
/// subsample), patch it and run the encoder. Shared by the SCA detector and PatchCore's
/// encoder features.
public struct ScanEncoder: Sendable {
    /// The frozen encoder (its configuration sets the patching).
    public let encoder: PointMAEEncoder
    /// The scan normalisation.
    public var frame: ScanFrame
    /// Scans with more points are randomly subsampled to this many before patching.
    public var encodedPoints: Int

    /// An encoding with the given encoder, frame and point budget.
    public init(encoder: PointMAEEncoder, frame: ScanFrame, encodedPoints: Int) {
        self.encoder = encoder
        self.frame = frame
        self.encodedPoints = encodedPoints
    }

    /// The patches (centres in the model frame) and `[G, C]` features of a cloud already in the
    /// model frame, and for each centre the index of its point in `cloud`.
    /// With `timings`, records the stages "patch" (subsample, FPS and KNN) and "encoder".
    public func encode(
        normalised cloud: PointCloud, timings: StageTimings? = nil
    ) throws -> (centers: Tensor, features: Tensor, centerIndices: [Int]) {
        let patches = try timings.measure("patch") {
            try Self.patches(of: cloud, configuration: encoder.configuration, encodedPoints: encodedPoints)
        }
        let features = timings.measure("encoder") {
            encoder.features(centers: patches.centers, neighborhoods: patches.neighborhoods).features
        }
        return (patches.centers, features, patches.centerIndices)
    }

    /// The encoder's patches of a cloud in the model frame (`configuration`'s G and K; Point-MAE
    /// grouping) after a fixed-seed random subsample to `encodedPoints`; indices refer to `cloud`.
    public static func patches(of cloud: PointCloud, configuration: PointMAEConfiguration, encodedPoints: Int) throws -> Patches {
        var subsetIndices = Array(0..<cloud.count)
        if cloud.count > encodedPoints {
            var generator = SeededGenerator(seed: 0)
            subsetIndices = try Downsampling.randomIndices(count: encodedPoints, from: cloud.count, using: &generator)
        }
        guard subsetIndices.count >= configuration.groupSize else {
            throw SamplingError.tooFewPoints(
                operation: "patching", required: configuration.groupSize, available: subsetIndices.count)
        }
        let subset = subsetIndices.count == cloud.count ? cloud : cloud.selecting(subsetIndices)
        let extractor = PatchExtractor(
            groupCount: configuration.groupCount, groupSize: configuration.groupSize, samplingMode: .pointMAE)
        var patches = try extractor(subset)
        patches.centerIndices = patches.centerIndices.map { subsetIndices[$0] }
        patches.indices = patches.indices.map { Int32(subsetIndices[Int($0)]) }
        return patches
    }
}
