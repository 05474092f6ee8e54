import AD3DPointCloud
import AD3DSupport
import AD3DSynthesis

/// Single views cut from a complete scan, as a sensor would take them, to calibrate how a detector
/// scores views of clean parts when only complete training scans exist. The scan's normals and
/// visibility structure are built once, for every view cut from it.
struct ViewSimulator {
    /// Sensor distance from the scan's centre, in scan diagonals.
    static let sensorDistance: Float = 2
    /// Neighbours of the PCA normals.
    static let normalNeighbors = 16

    /// The complete scan.
    let scan: PointCloud
    /// What a sensor sees of it.
    let predictor: VisibilityPredictor

    /// A simulator for views of `scan`.
    init(scan: PointCloud) throws {
        let tree = try KDTree(scan)
        let normals = try NormalEstimation(neighborhood: .nearest(k: Self.normalNeighbors)).estimate(scan, tree: tree).normals
        self.scan = scan
        predictor = try VisibilityPredictor(cloud: scan, normals: normals, spacing: tree.medianSpacing(at: scan))
    }

    /// The points of the scan that a sensor in a random direction (from `generator`) does not see
    /// as hidden (occluded or facing away): what it sees plus its grazing and silhouette points.
    func view(using generator: inout SeededGenerator) -> PointCloud {
        let sensor = predictor.center + Self.sensorDistance * predictor.diagonal * SynthesisGeometry.randomDirection(using: &generator)
        let visibility = predictor.visibility(from: sensor)
        return scan.selecting(visibility.indices.filter { visibility[$0] != .hidden })
    }
}
