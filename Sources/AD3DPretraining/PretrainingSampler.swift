import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// Turns a shape into a pretraining sample in the detector's geometry: the detector centres a scan,
/// divides it by its bounding-box diagonal, subsamples 8192 points and patches them (G 512, K 32).
/// A sample is the shape sampled to `pointCount` points, centred, scaled anisotropically (§5's
/// augmentation), divided by its diagonal and rotated uniformly at random. The patch centres are
/// picked by FPS among the `cropPointCount` points nearest a random seed point (kept in the object
/// frame) and each patch takes its K neighbours from the whole shape, so patches have the physical
/// size and density of detection-time patches and none is cut open at the crop's rim: a complete
/// scan has no open rims, and an encoder taught that rims are normal is blind to cuts and holes.
public struct PretrainingSampler: Sendable {
    /// The run's settings (geometry and masking are used).
    public let configuration: PretrainingConfiguration

    /// A sampler for `configuration`.
    public init(configuration: PretrainingConfiguration) {
        self.configuration = configuration
    }

    /// A sample drawn from `source`, with its random mask, deterministic for the generator's state.
    /// With the sampling-consistency loss on, the shape is sampled at twice the points and split
    /// at random into two independent samplings; the second gives each group's alternate
    /// neighbourhood around the same centre.
    public func sample(from source: any PretrainingShapeSource, using generator: inout SeededGenerator) throws -> PretrainingSample {
        let twoSamplings = configuration.consistencyWeight > 0, samplings = twoSamplings ? 2 : 1
        let shape = try source.cloud(pointCount: samplings * configuration.pointCount, using: &generator)
        guard shape.count >= samplings * configuration.cropPointCount else {
            throw PretrainingError.invalidSetting(
                name: "points",
                problem: "a shape source returned \(shape.count) points, fewer than the \(samplings * configuration.cropPointCount) its crop needs")
        }
        let normalizedShape = try normalized(shape, using: &generator)
        var object = normalizedShape, alternate: PointCloud?
        if twoSamplings {
            let first = try Downsampling.randomIndices(count: shape.count / 2, from: shape.count, using: &generator)
            let chosen = Set(first)
            object = normalizedShape.selecting(first)
            alternate = normalizedShape.selecting((0..<shape.count).filter { !chosen.contains($0) })
        }
        let seedIndex = Int(Downsampling.uniform(below: UInt64(object.count), using: &generator))
        let patches = try cropPatches(of: object, around: seedIndex)
        let masked = try Downsampling.randomIndices(count: configuration.maskedCount, from: configuration.groupCount, using: &generator)
        let maskedSet = Set(masked)
        return PretrainingSample(
            centers: patches.centers, neighborhoods: patches.neighborhoods,
            visibleGroups: (0..<configuration.groupCount).filter { !maskedSet.contains($0) }, maskedGroups: masked,
            alternateNeighborhoods: try alternate.map { try neighborhoods(of: $0, around: patches.centers) })
    }

    /// The groups of `cloud` around `centers` `[G, 3]`: each centre joins the cloud, as a
    /// detection-time centre is one of the scan's points, and takes its K nearest points.
    func neighborhoods(of cloud: PointCloud, around centers: Tensor) throws -> Tensor {
        let withCenters = PointCloud(coordinates: cloud.coordinates + centers.storage)
        let extractor = PatchExtractor(groupCount: configuration.groupCount, groupSize: configuration.groupSize, samplingMode: .pointMAE)
        return extractor.neighborhoods(
            of: withCenters, tree: try KDTree(withCenters), centerIndices: Array(cloud.count..<withCenters.count)).neighborhoods
    }

    /// The patches of the crop of `object` around point `seedIndex`: centres by FPS among the crop's
    /// points, neighbours from the whole of `object`.
    func cropPatches(of object: PointCloud, around seedIndex: Int) throws -> Patches {
        let tree = try KDTree(object)
        let cropIndices = tree.nearest(k: configuration.cropPointCount, to: object[seedIndex]).indices
        let cropCenters = try FarthestPointSampling.sample(
            object.selecting(cropIndices), count: configuration.groupCount, mode: .pointMAE)
        return PatchExtractor(groupCount: configuration.groupCount, groupSize: configuration.groupSize, samplingMode: .pointMAE)
            .neighborhoods(of: object, tree: tree, centerIndices: cropCenters.map { cropIndices[$0] })
    }

    /// `cloud` centred on its centroid, scaled per axis by factors from `scaleRange`, divided by its
    /// bounding-box diagonal, and rotated uniformly at random.
    func normalized(_ cloud: PointCloud, using generator: inout SeededGenerator) throws -> PointCloud {
        let centroid = cloud.centroid
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
