import Foundation

/// Predicts which points of a cloud a perspective sensor sees, with a splatting z-buffer.
///
/// Each point is drawn as a disk of radius `splatSpacings` spacings (at its depth) in the gnomonic
/// image of the sensor, its depth following the point's tangent plane on the far side, so that a
/// sparse surface leaves few pinholes and a tilted one does not occlude itself; a pixel keeps the
/// nearest depth. A point is visible when it lies within `depthToleranceSpacings` of the nearest
/// depth under its own pixel and nearer surface does not surround it (a pinhole between front
/// splats). The prediction is conservative about `.visible`: grazing points, points outside the
/// sensor's field of view and points within `boundarySpacings` of a point of the other class
/// (silhouettes, occluding edges, leftover pinholes) are `.unknown`. Normals may have any sign.
public struct VisibilityPredictor: Sendable {
    /// Side of a pixel, in spacings at the depth of the cloud's centre: fine enough that the
    /// depth test at a pixel centre is local, coarse enough to keep splats small (≈ 30 pixels).
    public static let pixelSpacings: Float = 0.75
    /// Splat radius in spacings: random (Poisson-like) sampling leaves gaps up to about twice the
    /// median spacing; the rare pinholes left are caught by the boundary rule.
    public static let splatSpacings: Float = 2
    /// Depth tolerance in spacings: absorbs the tangent-plane error of curved surfaces across a
    /// splat; surface closer than this behind a front surface (walls thinner than ≈ 1.5 spacings)
    /// cannot be told apart from it.
    public static let depthToleranceSpacings: Float = 1.5
    /// Radius, in spacings, of the ring searched for nearer surface around a point that passed the depth test.
    public static let surroundSpacings: Float = 3
    /// A point with nearer surface in at least this many of the eight sectors around it is hidden (a pinhole).
    public static let surroundSectors: Int = 7
    /// Points whose normal is within 15° of perpendicular to the ray (|n·ray| < cos 75°) are `.unknown`.
    public static let grazingCosine: Float = 0.2588
    /// Points with a point of the other class (visible / hidden) within this many spacings are `.unknown`.
    public static let boundarySpacings: Float = 3
    /// Largest angle between the viewing axis and a point's ray (tangent of 60°); farther points are `.unknown`.
    public static let fieldOfViewTangent: Float = 1.732
    /// Steepest depth slope of a splat (tangent of 80°), bounding the extrapolation of grazing tangent planes.
    static let maximumDepthSlope: Float = 5.67

    /// The points.
    public let points: [SIMD3<Float>]
    /// Unit normals, one per point, of arbitrary sign.
    public let normals: [SIMD3<Float>]
    /// The cloud's median point spacing.
    public let spacing: Float
    /// Centre of the cloud's bounding box: the sensor looks at it.
    public let center: SIMD3<Float>
    /// Length of the cloud's bounding-box diagonal.
    public let diagonal: Float
    /// Neighbours within `boundarySpacings` of each point (itself excluded), as a ragged table.
    let neighbors: NeighborTable

    /// A predictor for `cloud` with unit `normals` (`[N, 3]` flat, any sign) and median point `spacing`.
    public init(cloud: PointCloud, normals: [Float], spacing: Float) throws {
        let operation = "visibility prediction"
        guard !cloud.isEmpty else { throw SamplingError.emptyCloud(operation: operation) }
        guard normals.count == cloud.coordinates.count else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "normals", value: "\(normals.count) values",
                requirement: "3 per point (\(cloud.coordinates.count))")
        }
        guard spacing.isFinite, spacing > 0 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "spacing", value: "\(spacing)", requirement: "finite and > 0")
        }
        let tree = try KDTree(cloud)
        points = (0..<cloud.count).map { cloud[$0] }
        self.normals = (0..<cloud.count).map { SIMD3(normals[3 * $0], normals[3 * $0 + 1], normals[3 * $0 + 2]) }
        self.spacing = spacing
        let box = cloud.boundingBox!
        center = (box.min + box.max) / 2
        diagonal = cloud.diagonal
        neighbors = tree.neighbors(within: Self.boundarySpacings * spacing, of: cloud)
    }

    /// Number of points.
    public var count: Int { points.count }

    /// What a perspective sensor at `sensor` sees of each point (it looks at `center`; it should
    /// be outside the cloud's bounding sphere).
    public func visibility(from sensor: SIMD3<Float>) -> [PointVisibility] {
        let tests = depthTests(from: sensor)
        var result = [PointVisibility](repeating: .unknown, count: count)
        for i in 0..<count {
            guard case let .tested(inFront, grazing) = tests[i], !grazing else { continue }
            let range = neighbors.offsets[i]..<neighbors.offsets[i + 1]
            let mixed = neighbors.indices[range].contains { j in
                if case let .tested(otherInFront, _) = tests[Int(j)] { return otherInFront != inFront }
                return false
            }
            if !mixed { result[i] = inFront ? .visible : .hidden }
        }
        return result
    }
}
