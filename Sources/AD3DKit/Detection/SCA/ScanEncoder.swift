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
    /// With `timings`, records the stages "subsample", "patch" (FPS + KNN) and "encoder".
    public func encode(
        normalised cloud: PointCloud, timings: StageTimings? = nil
    ) throws -> (centers: Tensor, features: Tensor, centerIndices: [Int]) {
        let (subset, subsetIndices) = try timings.measure("subsample") {
            let indices = try self.subsetIndices(of: cloud)
            return (indices.count == cloud.count ? cloud : cloud.selecting(indices), indices)
        }
        let configuration = encoder.configuration
        let patches = try timings.measure("patch") {
            try PatchExtractor(
                groupCount: configuration.groupCount, groupSize: configuration.groupSize, samplingMode: .pointMAE)(subset)
        }
        let features = timings.measure("encoder") {
            encoder.features(centers: patches.centers, neighborhoods: patches.neighborhoods).features
        }
        return (patches.centers, features, patches.centerIndices.map { subsetIndices[$0] })
    }

    /// The points of `cloud` that are patched: all of them, or a fixed-seed random subsample of
    /// `encodedPoints`; at least one patch's worth.
    public func subset(of cloud: PointCloud) throws -> PointCloud {
        let indices = try subsetIndices(of: cloud)
        return indices.count == cloud.count ? cloud : cloud.selecting(indices)
    }

    private func subsetIndices(of cloud: PointCloud) throws -> [Int] {
        guard cloud.count >= encoder.configuration.groupSize else {
            throw SamplingError.tooFewPoints(
                operation: "patching", required: encoder.configuration.groupSize, available: cloud.count)
        }
        guard cloud.count > encodedPoints else { return Array(0..<cloud.count) }
        var generator = SeededGenerator(seed: 0)
        return try Downsampling.randomIndices(count: encodedPoints, from: cloud.count, using: &generator)
    }
}
