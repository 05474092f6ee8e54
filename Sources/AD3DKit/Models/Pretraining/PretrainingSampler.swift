import Foundation

/// Turns a shape into a pretraining sample in the detector's geometry: the detector centres a scan,
/// divides it by its bounding-box diagonal, subsamples 8192 points and patches them (G 512, K 32).
/// A sample is the shape sampled to `pointCount` points, centred, scaled anisotropically (§5's
/// augmentation), divided by its diagonal, rotated uniformly at random, then a local crop of the
/// `cropPointCount` points nearest a random seed point — kept in the object frame — grouped
/// Point-MAE's way, so its patches have the physical size and density of detection-time patches.
public struct PretrainingSampler: Sendable {
    /// The run's settings (geometry and masking are used).
    public let configuration: PretrainingConfiguration

    /// A sampler for `configuration`.
    public init(configuration: PretrainingConfiguration) {
        self.configuration = configuration
    }

    /// A sample drawn from `source`, with its random mask, deterministic for the generator's state.
    public func sample(from source: any PretrainingShapeSource, using generator: inout SeededGenerator) throws -> PretrainingSample {
        let shape = try source.cloud(pointCount: configuration.pointCount, using: &generator)
        guard shape.count >= configuration.cropPointCount else {
            throw PretrainingError.invalidSetting(
                name: "points", problem: "a shape source returned \(shape.count) points, fewer than the crop (\(configuration.cropPointCount))")
        }
        let object = try normalized(shape, using: &generator)
        let seedPoint = object[Int(Downsampling.uniform(below: UInt64(object.count), using: &generator))]
        let crop = object.selecting(try KDTree(object).nearest(k: configuration.cropPointCount, to: seedPoint).indices)
        let patches = try PatchExtractor(
            groupCount: configuration.groupCount, groupSize: configuration.groupSize, samplingMode: .pointMAE)(crop)
        let masked = try Downsampling.randomIndices(count: configuration.maskedCount, from: configuration.groupCount, using: &generator)
        let maskedSet = Set(masked)
        return PretrainingSample(
            centers: patches.centers, neighborhoods: patches.neighborhoods,
            visibleGroups: (0..<configuration.groupCount).filter { !maskedSet.contains($0) }, maskedGroups: masked)
    }

    /// `cloud` centred on its centroid, scaled per axis by factors from `scaleRange`, divided by its
    /// bounding-box diagonal, and rotated uniformly at random.
    func normalized(_ cloud: PointCloud, using generator: inout SeededGenerator) throws -> PointCloud {
        let centroid = ScanFrame.centroid(of: cloud)
        let range = configuration.scaleRange
        let factors = SIMD3<Float>(generator.uniform(range), generator.uniform(range), generator.uniform(range))
        var points = (0..<cloud.count).map { (cloud[$0] - centroid) * factors }
        let scaled = PointCloud(points: points)
        guard let box = scaled.boundingBox else { throw PretrainingError.unusableShape(path: "(generated)", reason: "it has no points") }
        let extent = box.max - box.min
        let diagonal = (extent * extent).sum().squareRoot()
        guard diagonal > 0, diagonal.isFinite else {
            throw PretrainingError.unusableShape(path: "(generated)", reason: "its bounding box is degenerate")
        }
        let rotation = RigidTransform.randomRotation(using: &generator)
        points = points.map { rotation.apply($0 / diagonal) }
        return PointCloud(points: points)
    }
}
