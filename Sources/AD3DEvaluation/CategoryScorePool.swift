import AD3DPointCloud
import AD3DSupport
import Foundation

/// The points of one test scan to score, with one ground-truth label per point.
public struct LabeledScan: Sendable, Equatable {
    /// The file the points came from (the ground-truth file for a defective sample).
    public var source: URL
    /// The points, in the order scores must follow.
    public var cloud: PointCloud
    /// One label per point: 1 anomalous, 0 good.
    public var labels: [UInt8]
}

extension TestSample {
    /// Loads the points to score and their labels. As in Real3D-AD's loader, a defective sample's
    /// points and labels come from its ground-truth file; a good sample's points come from the
    /// scan (meshes sampled with `meshSampleCount` points from `seed`) and are all labelled 0.
    public func load(meshSampleCount: Int = 16_384, seed: UInt64 = 0) throws -> LabeledScan {
        if let groundTruth {
            let cloud = try PointCloudReader.read(groundTruth, meshSampleCount: meshSampleCount, seed: seed).cloud
            guard let labels = cloud.labels else {
                throw EvaluationError.groundTruthWithoutLabels(path: groundTruth.path)
            }
            return LabeledScan(source: groundTruth, cloud: cloud, labels: labels)
        }
        let cloud = try PointCloudReader.read(scan, meshSampleCount: meshSampleCount, seed: seed).cloud
        return LabeledScan(source: scan, cloud: cloud, labels: [UInt8](repeating: 0, count: cloud.count))
    }
}

/// Pools the aligned scores and labels of one category's test scans and computes its metrics.
///
/// Callers add one scan at a time (from score files, or straight from a detector); the metrics
/// are then point AUROC/AUPR over all pooled points and object AUROC/AUPR over the scans.
public struct CategoryScorePool: Sendable {
    /// All point scores added so far, scan after scan.
    public private(set) var pointScores = [Float]()
    /// One label per pooled point.
    public private(set) var pointLabels = [UInt8]()
    /// One object score per scan.
    public private(set) var objectScores = [Double]()
    /// One label per scan: 1 defective, 0 good.
    public private(set) var objectLabels = [UInt8]()
    /// Per scan: its defect type, nil for a good scan.
    public private(set) var defectKinds = [String?]()
    /// Per scan: where its points lie in `pointScores`.
    private var pointRanges = [Range<Int>]()

    /// An empty pool.
    public init() {}

    /// Adds a scan; `pointScores` and `pointLabels` must have one entry per point of the scan. A
    /// defective scan's `defectKind` defaults to `TestSample.unnamedDefectKind`.
    public mutating func add(
        pointScores: [Float], pointLabels: [UInt8], objectScore: Double, isDefective: Bool, defectKind: String? = nil
    ) {
        precondition(pointScores.count == pointLabels.count, "one score per labelled point")
        pointRanges.append(self.pointScores.count..<(self.pointScores.count + pointScores.count))
        defectKinds.append(isDefective ? defectKind ?? TestSample.unnamedDefectKind : nil)
        self.pointScores += pointScores
        self.pointLabels += pointLabels
        objectScores.append(objectScore)
        objectLabels.append(isDefective ? 1 : 0)
    }

    /// The category's metrics, with the point threshold of best F1 (n/a where the pool lacks good or defective samples/points).
    public func evaluate(name: String) throws(MetricError) -> CategoryEvaluation {
        let objects = try RankedScores(scores: objectScores, labels: objectLabels)
        let points = try RankedScores(scores: pointScores, labels: pointLabels)
        let best = points.maxF1
        return CategoryEvaluation(
            name: name,
            objectAUROC: objects.areaUnderROC, objectAUPR: objects.averagePrecision,
            pointAUROC: points.areaUnderROC, pointAUPR: points.averagePrecision,
            pointMaxF1: best?.f1, pointThreshold: best?.threshold,
            good: objects.negativeCount, defective: objects.positiveCount, points: pointScores.count,
            defectKinds: try Set(defectKinds.compactMap { $0 }).sortedNaturally().map(evaluate(kind:)))
    }

    /// The metrics of the scans of defect type `kind` against the good scans.
    private func evaluate(kind: String) throws(MetricError) -> DefectKindEvaluation {
        let chosen = defectKinds.indices.filter { defectKinds[$0] == nil || defectKinds[$0] == kind }
        let objects = try RankedScores(scores: chosen.map { objectScores[$0] }, labels: chosen.map { objectLabels[$0] })
        let points = try RankedScores(
            scores: chosen.flatMap { pointScores[pointRanges[$0]] }, labels: chosen.flatMap { pointLabels[pointRanges[$0]] })
        return DefectKindEvaluation(
            kind: kind, scans: objects.positiveCount, objectAUROC: objects.areaUnderROC, pointAUROC: points.areaUnderROC)
    }
}
