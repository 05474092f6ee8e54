import AD3DPointCloud
import AD3DSupport
import AD3DSynthesis

/// Single views cut from a complete scan, as a sensor would take them, to calibrate how a detector
/// scores views of clean parts when only complete training scans exist.
enum SimulatedView {
    /// Sensor distance from the scan's centre, in scan diagonals.
    static let sensorDistance: Float = 2
    /// Neighbours of the PCA normals.
    static let normalNeighbors = 16

    /// The points of `scan` that a sensor in a random direction (from `generator`) does not see as
    /// hidden (occluded or facing away): what it sees plus its grazing and silhouette points.
    static func view(of scan: PointCloud, using generator: inout SeededGenerator) throws -> PointCloud {
        let tree = try KDTree(scan)
        let normals = try NormalEstimation(neighborhood: .nearest(k: normalNeighbors)).estimate(scan, tree: tree).normals
        let predictor = try VisibilityPredictor(cloud: scan, normals: normals, spacing: tree.medianSpacing(at: scan))
        let sensor = predictor.center + sensorDistance * predictor.diagonal * SynthesisGeometry.randomDirection(using: &generator)
        let visibility = predictor.visibility(from: sensor)
        return scan.selecting(visibility.indices.filter { visibility[$0] != .hidden })
    }
}
