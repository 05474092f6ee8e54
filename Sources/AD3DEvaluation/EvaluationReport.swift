import AD3DSupport
import Foundation

/// Metrics of one category; nil metrics ("n/a") mean the test set lacks good or defective samples.
public struct CategoryEvaluation: Sendable, Equatable, Codable {
    /// The category name.
    public var name: String
    /// AUROC over test scans' object scores (defective = positive).
    public var objectAUROC: Double?
    /// Average precision over test scans' object scores.
    public var objectAUPR: Double?
    /// AUROC over all points of all test scans, pooled.
    public var pointAUROC: Double?
    /// Average precision over all points of all test scans, pooled.
    public var pointAUPR: Double?
    /// The best F1 over point-score thresholds, pooled points.
    public var pointMaxF1: Double?
    /// The point score threshold reaching `pointMaxF1` (anomalous when score ≥ threshold): a
    /// starting value for `ad3d infer --threshold`.
    public var pointThreshold: Double?
    /// Number of good test scans.
    public var good: Int
    /// Number of defective test scans.
    public var defective: Int
    /// Number of test points.
    public var points: Int
    /// Per defect type (in `NaturalOrder`): its scans against the good ones.
    public var defectKinds: [DefectKindEvaluation]

    private enum CodingKeys: String, CodingKey {
        case name, good, defective, points
        case defectKinds = "defect_kinds"
        case objectAUROC = "object_auroc", objectAUPR = "object_aupr"
        case pointAUROC = "point_auroc", pointAUPR = "point_aupr"
        case pointMaxF1 = "point_max_f1", pointThreshold = "point_threshold"
    }

    /// Metrics of a category; the max-F1 figures are nil and the defect types empty unless given.
    public init(
        name: String, objectAUROC: Double?, objectAUPR: Double?, pointAUROC: Double?, pointAUPR: Double?,
        pointMaxF1: Double? = nil, pointThreshold: Double? = nil, good: Int, defective: Int, points: Int,
        defectKinds: [DefectKindEvaluation] = []
    ) {
        self.name = name
        self.objectAUROC = objectAUROC
        self.objectAUPR = objectAUPR
        self.pointAUROC = pointAUROC
        self.pointAUPR = pointAUPR
        self.pointMaxF1 = pointMaxF1
        self.pointThreshold = pointThreshold
        self.good = good
        self.defective = defective
        self.points = points
        self.defectKinds = defectKinds
    }

    /// Encodes n/a metrics as `null` rather than dropping the key.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(objectAUROC, forKey: .objectAUROC)
        try container.encode(objectAUPR, forKey: .objectAUPR)
        try container.encode(pointAUROC, forKey: .pointAUROC)
        try container.encode(pointAUPR, forKey: .pointAUPR)
        try container.encode(pointMaxF1, forKey: .pointMaxF1)
        try container.encode(pointThreshold, forKey: .pointThreshold)
        try container.encode(good, forKey: .good)
        try container.encode(defective, forKey: .defective)
        try container.encode(points, forKey: .points)
        try container.encode(defectKinds, forKey: .defectKinds)
    }
}

/// Metrics averaged over categories; each is the mean over the categories where it is defined.
public struct MeanEvaluation: Sendable, Equatable, Codable {
    /// Mean object AUROC.
    public var objectAUROC: Double?
    /// Mean object average precision.
    public var objectAUPR: Double?
    /// Mean point AUROC.
    public var pointAUROC: Double?
    /// Mean point average precision.
    public var pointAUPR: Double?
    /// Mean point max-F1.
    public var pointMaxF1: Double?

    private enum CodingKeys: String, CodingKey {
        case objectAUROC = "object_auroc", objectAUPR = "object_aupr"
        case pointAUROC = "point_auroc", pointAUPR = "point_aupr", pointMaxF1 = "point_max_f1"
    }

    /// The means of `categories`.
    public init(of categories: [CategoryEvaluation]) {
        func mean(_ metric: KeyPath<CategoryEvaluation, Double?>) -> Double? {
            let values = categories.compactMap { $0[keyPath: metric] }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        objectAUROC = mean(\.objectAUROC)
        objectAUPR = mean(\.objectAUPR)
        pointAUROC = mean(\.pointAUROC)
        pointAUPR = mean(\.pointAUPR)
        pointMaxF1 = mean(\.pointMaxF1)
    }

    /// Encodes n/a metrics as `null` rather than dropping the key.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(objectAUROC, forKey: .objectAUROC)
        try container.encode(objectAUPR, forKey: .objectAUPR)
        try container.encode(pointAUROC, forKey: .pointAUROC)
        try container.encode(pointAUPR, forKey: .pointAUPR)
        try container.encode(pointMaxF1, forKey: .pointMaxF1)
    }
}

/// The evaluation of a dataset: `{"categories": [...], "mean": {...}}` in JSON.
public struct EvaluationReport: Sendable, Equatable, Codable {
    /// One entry per category, in the dataset's order (`NaturalOrder` of their names).
    public var categories: [CategoryEvaluation]
    /// The per-metric means over `categories`.
    public var mean: MeanEvaluation

    /// A report over `categories`, with their means.
    public init(categories: [CategoryEvaluation]) {
        self.categories = categories
        mean = MeanEvaluation(of: categories)
    }

    /// The report as pretty-printed JSON with sorted keys (deterministic), n/a as `null`.
    public func json() throws -> String {
        try TextFormatting.json(self, pretty: true)
    }

    /// An aligned text table: one row per category, plus a `mean` row when there are several.
    public func table() -> String {
        func metric(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        func threshold(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "n/a" }
        var rows = [["category", "object AUROC", "object AUPR", "point AUROC", "point AUPR", "point max-F1", "at score",
                     "good", "defective", "points"]]
        for c in categories {
            rows.append([c.name, metric(c.objectAUROC), metric(c.objectAUPR), metric(c.pointAUROC), metric(c.pointAUPR),
                         metric(c.pointMaxF1), threshold(c.pointThreshold), String(c.good), String(c.defective), String(c.points)])
        }
        if categories.count > 1 {
            rows.append(["mean", metric(mean.objectAUROC), metric(mean.objectAUPR), metric(mean.pointAUROC),
                         metric(mean.pointAUPR), metric(mean.pointMaxF1), "", "", "", ""])
        }
        return TextFormatting.table(rows) + defectKindTable()
    }

    /// The per-defect-type rows after a blank line, or nothing when no category has defective scans.
    private func defectKindTable() -> String {
        func metric(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        var rows = [["category", "defect", "scans", "object AUROC", "point AUROC"]]
        for c in categories {
            for kind in c.defectKinds {
                rows.append([c.name, kind.kind, String(kind.scans), metric(kind.objectAUROC), metric(kind.pointAUROC)])
            }
        }
        return rows.count > 1 ? "\n\n" + TextFormatting.table(rows) : ""
    }
}
