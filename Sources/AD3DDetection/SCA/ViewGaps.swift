import AD3DPointCloud

/// Gaps in a single view: surface the sensor would have seen but the view lacks. From the template
/// points the placed view covers, `SensorEstimator` finds where the sensor was; `VisibilityPredictor`
/// then says which template points it would have seen, and only those that the view leaves
/// uncovered, and that every training scan covers (`SurfaceTemplate.support`), are gaps. Points the
/// sensor could not see, saw at a grazing angle or near a silhouette are never gaps: a single view
/// says nothing about them.
struct ViewGaps: Sendable {
    /// Template points whose visibility is predicted (a subsample of a large template).
    static let predictedPoints = 8192

    /// Least fraction of the training scans that must cover a template point for it to count as
    /// a gap where a view misses it (`SurfaceTemplate.support`).
    static let minimumSupport: Float = 1

    /// Finds the sensor.
    let estimator: SensorEstimator
    /// Predicts what the sensor saw, on `indices` of the template.
    let predictor: VisibilityPredictor
    /// The template points the predictor works on, ascending.
    let indices: [Int]

    /// Gap finding for `template`.
    init(template: SurfaceTemplate) throws {
        let points = template.points
        estimator = try SensorEstimator(cloud: points, normals: template.normals)
        indices = try Downsampling.fixedSubsetIndices(count: Self.predictedPoints, from: points.count)
        let sample = points.selecting(indices)
        predictor = try VisibilityPredictor(
            cloud: sample, normals: indices.flatMap { template.normals[(3 * $0)..<(3 * $0 + 3)] },
            spacing: try KDTree(sample).medianSpacing(at: sample))
    }

    /// Where the sensor was (template frame) that saw a view leaving `coverage` uncovered.
    func sensor(coverage: CoverageGaps.Coverage, template: SurfaceTemplate) -> SIMD3<Float> {
        estimator.estimate(covered: covered(coverage, template: template)).position
    }

    /// The gap score of every point of `view` (moved exactly onto the template), in scan order,
    /// from the `coverage` it leaves and the `sensor` that saw it (template frame):
    /// `CoverageGaps.Coverage.gapScores` over the uncovered template points the sensor would have
    /// seen; zero everywhere when those are more than `CoverageGaps.largestUncoveredFraction` of
    /// what it would have seen (a misfit).
    func scores(of view: PointCloud, coverage: CoverageGaps.Coverage, template: SurfaceTemplate, sensor: SIMD3<Float>) throws
        -> [Float]
    {
        let covered = covered(coverage, template: template)
        let visibility = predictor.visibility(from: sensor)
        let seen = indices.indices.filter { visibility[$0] == .visible && (template.support?[indices[$0]] ?? 1) >= Self.minimumSupport }
        let missed = seen.map { indices[$0] }.filter { !covered[$0] }
        let expected = CoverageGaps.Coverage(uncovered: missed, spacing: coverage.spacing, templateCount: max(seen.count, 1))
        return try expected.gapScores(of: view, template: template)
    }

    /// One flag per template point: whether the view lies on it.
    private func covered(_ coverage: CoverageGaps.Coverage, template: SurfaceTemplate) -> [Bool] {
        var covered = [Bool](repeating: true, count: template.points.count)
        for t in coverage.uncovered { covered[t] = false }
        return covered
    }
}
