import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// Proposes poses of a scan on a complete template without leaning on the scan's centroid or
/// principal axes, which a single view (one side of the part) shifts and turns: FPFH features of
/// both, voxel-downsampled, give each scan point its few most similar template points; random
/// triples of such correspondences whose pairwise distances agree (a rigid motion keeps them) give
/// a motion each (Kabsch), scored by how many scan points it lays onto the template. The best
/// distinct motions are the candidates, refined and judged later (`ViewPoses`). Letting each scan
/// point choose among several similar template points keeps every copy of a repeated feature (a
/// gear's teeth) in play, so a symmetric part still yields poses. Deterministic.
struct ViewRegistration: Sendable {
    /// Voxel edge of the downsampled clouds, as a fraction of the template's bounding-box diagonal.
    static let voxelFraction: Float = 0.02
    /// Radius of the normal neighbourhoods, in voxels.
    static let normalRadiusVoxels: Float = 2.5
    /// Radius of the FPFH neighbourhoods, in voxels.
    static let featureRadiusVoxels: Float = 5
    /// Most similar template points each scan point may correspond to.
    static let candidatesPerPoint = 6
    /// Random correspondence triples drawn.
    static let samples = 6000
    /// Least distance between the points of a triple, in voxels (close points fix a motion poorly).
    static let leastSpreadVoxels: Float = 4
    /// How far, relative to their length, a triple's scan and template distances may differ.
    static let edgeTolerance: Float = 0.1
    /// Scan points checked to rank a motion quickly.
    static let quickCheckPoints = 48
    /// Motions scored on every downsampled scan point, best first by the quick check.
    static let shortlist = 200
    /// Motions of a first search (`ViewPoses.fit(_:template:candidates:cleanResidual:)`).
    static let candidates = 16
    /// Motions returned: a view that fits none of the first `candidates` well is placed from the
    /// rest too.
    static let widerCandidates = 64
    /// Distance, in voxels, within which a moved scan point counts as lying on the template.
    static let inlierVoxels: Float = 1.5

    /// The voxel edge (model units).
    let voxel: Float
    /// The downsampled template.
    let target: PointCloud
    /// FPFH features of the downsampled template, one row per point.
    let features: NearestNeighborBank
    /// Cells of `voxel` edge that lie within `inlierVoxels` of a template point.
    let occupancy: OccupancyGrid

    /// The template seen from many directions: where each view lies and how it is spread.
    let predictedViews: [PrincipalAxes]
    /// Sensor directions of `predictedViews`, spread evenly over the sphere.
    static let viewDirections = 96
    /// Distance of the sensor of `predictedViews` from the template's centre, in diagonals.
    static let viewDistance: Float = 3

    /// A registration onto the template points `template` (model frame).
    init(template: PointCloud) throws {
        let diagonal = template.diagonal
        voxel = max(Self.voxelFraction * diagonal, .leastNormalMagnitude)
        let target = try Downsampling.voxelGrid(template, voxelSize: voxel).cloud, tree = try KDTree(target)
        let normals = try Self.normals(of: target, tree: tree, voxel: voxel)
        self.target = target
        features = NearestNeighborBank(features: try Self.features(of: target, normals: normals, tree: tree, voxel: voxel))
        occupancy = OccupancyGrid(points: target, cell: voxel, reach: Self.inlierVoxels * voxel)
        let predictor = try VisibilityPredictor(cloud: target, normals: normals, spacing: voxel)
        predictedViews = FibonacciSphere.directions(count: Self.viewDirections).compactMap { direction in
            let visibility = predictor.visibility(from: predictor.center + Self.viewDistance * diagonal * direction)
            let seen = visibility.indices.filter { visibility[$0] != .hidden }
            return seen.count >= 3 ? PrincipalAxes(of: target.selecting(seen)) : nil
        }
    }

    /// Motions that lay `source`'s centroid and principal axes onto those of a view of the
    /// template predicted from some direction (`PrincipalAxes.startingMotions(from:)`): a
    /// single view matches the template as the sensor saw it, not the whole part.
    func predictedViewMotions(for source: PointCloud) -> [RigidTransform] {
        let axes = PrincipalAxes(of: source)
        return predictedViews.flatMap { $0.startingMotions(from: axes) }
    }

    /// Unit normals (any sign) of a downsampled cloud, from neighbourhoods of `normalRadiusVoxels`;
    /// `tree` is built over `cloud`.
    static func normals(of cloud: PointCloud, tree: KDTree, voxel: Float) throws -> [Float] {
        try NormalEstimation(neighborhood: .radius(normalRadiusVoxels * voxel, maxCount: 30)).estimate(cloud, tree: tree).normals
    }

    /// FPFH features of a downsampled cloud with its `normals` oriented by
    /// `convexOrientation(_:of:tree:radius:)`; `tree` is built over `cloud`.
    static func features(of cloud: PointCloud, normals: [Float], tree: KDTree, voxel: Float) throws -> Tensor {
        var oriented = normals
        convexOrientation(&oriented, of: cloud, tree: tree, radius: orientationRadiusVoxels * voxel)
        return try FPFH(radius: featureRadiusVoxels * voxel, maxNeighbors: 100).features(of: cloud, normals: oriented, tree: tree)
    }

    /// Radius of the neighbourhoods that orient the normals, in voxels.
    static let orientationRadiusVoxels: Float = 6

    /// Flips each normal so that its neighbours within `radius` lie on average behind its tangent
    /// plane: outward where the surface bulges, inward in a hollow. Unlike orienting towards a
    /// viewpoint or away from a centroid, this rule depends on the surface alone, so a complete
    /// part and a single view of it orient alike wherever the view shows the neighbourhood.
    static func convexOrientation(_ normals: inout [Float], of cloud: PointCloud, tree: KDTree, radius: Float) {
        let neighbors = tree.neighbors(within: radius, of: cloud)
        for i in 0..<cloud.count {
            let p = cloud[i], n = SIMD3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2])
            var height: Float = 0
            for slot in neighbors.offsets[i]..<neighbors.offsets[i + 1] {
                height += ((cloud[Int(neighbors.indices[slot])] - p) * n).sum()
            }
            if height > 0 {
                for axis in 0..<3 { normals[3 * i + axis] = -normals[3 * i + axis] }
            }
        }
    }

    /// Up to `widerCandidates` distinct motions taking `scan` (model frame, any pose) onto the template,
    /// best first by the fraction of downsampled scan points they lay onto it.
    func candidates(for scan: PointCloud) throws -> [RigidTransform] {
        let source = try Downsampling.voxelGrid(scan, voxelSize: voxel).cloud
        guard source.count >= 3 else { return [] }
        let tree = try KDTree(source)
        let sourceFeatures = try Self.features(of: source, normals: try Self.normals(of: source, tree: tree, voxel: voxel), tree: tree, voxel: voxel)
        let matches = try features.nearest(to: sourceFeatures, k: min(Self.candidatesPerPoint, target.count))
        var generator = SeededGenerator(seed: 0x5EED)
        let check = try Downsampling.fixedSubset(source, count: Self.quickCheckPoints)
        var proposals = predictedViewMotions(for: source).map { (transform: $0, quick: occupancy.inliers(of: check, moved: $0)) }
        for _ in 0..<Self.samples {
            guard let transform = sampleMotion(source: source, matches: matches, using: &generator) else { continue }
            proposals.append((transform, occupancy.inliers(of: check, moved: transform)))
        }
        let ranked = proposals.sorted { $0.quick > $1.quick }.prefix(Self.shortlist)
            .map { (transform: $0.transform, fitness: occupancy.inliers(of: source, moved: $0.transform)) }
            .sorted { $0.fitness > $1.fitness }
        var kept = [RigidTransform]()
        for proposal in ranked where kept.count < Self.widerCandidates {
            if !kept.contains(where: { Self.similar($0, proposal.transform, within: 0.75 * voxel, degrees: 5) }) {
                kept.append(proposal.transform)
            }
        }
        return kept
    }

    /// The motion of one random triple of correspondences whose distances agree, or nil.
    private func sampleMotion(source: PointCloud, matches: BankNeighbors, using generator: inout SeededGenerator) -> RigidTransform? {
        let k = matches.k, n = source.count
        func draw() -> Int { Int(Downsampling.uniform(below: UInt64(n), using: &generator)) }
        let a = draw(), b = draw(), c = draw()
        let spread = Self.leastSpreadVoxels * voxel
        let ab = distance(source[a], source[b]), ac = distance(source[a], source[c]), bc = distance(source[b], source[c])
        guard ab > spread, ac > spread, bc > spread else { return nil }
        let ja = Int(matches.indices[a * k + Int(Downsampling.uniform(below: UInt64(k), using: &generator))])
        func agrees(_ length: Float, _ j: Int, _ other: Int) -> Bool {
            abs(distance(target[j], target[other]) - length) <= Self.edgeTolerance * length
        }
        guard let jb = (0..<k).lazy.map({ Int(matches.indices[b * k + $0]) }).first(where: { agrees(ab, $0, ja) }),
              let jc = (0..<k).lazy.map({ Int(matches.indices[c * k + $0]) }).first(where: { agrees(ac, $0, ja) && agrees(bc, $0, jb) })
        else { return nil }
        let from = [a, b, c].flatMap { i in [source[i].x, source[i].y, source[i].z] }
        let onto = [ja, jb, jc].flatMap { j in [target[j].x, target[j].y, target[j].z] }
        return LinearAlgebra.rigidAlignment(from: from, to: onto)
    }

    /// Whether two motions move the template's scale of points about alike: rotations within
    /// `degrees` and translations within `within`.
    static func similar(_ first: RigidTransform, _ second: RigidTransform, within: Float, degrees: Float) -> Bool {
        let r = first.rotation, s = second.rotation
        var trace: Float = 0
        for row in 0..<3 {
            for column in 0..<3 { trace += r[3 * row + column] * s[3 * row + column] }
        }
        let angle = acos(max(-1, min(1, (trace - 1) / 2)))
        let shift = first.translation - second.translation
        return angle <= degrees * .pi / 180 && (shift * shift).sum().squareRoot() <= within
    }

    private func distance(_ p: SIMD3<Float>, _ q: SIMD3<Float>) -> Float {
        let d = p - q
        return (d * d).sum().squareRoot()
    }
}
