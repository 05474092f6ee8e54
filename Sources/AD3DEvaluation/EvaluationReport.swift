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
    /// How the model's stored thresholds judged the test scans (nil for a model without them, or scores read from files).
    public var verdicts: VerdictCounts?

    private enum CodingKeys: String, CodingKey {
        case name, good, defective, points, verdicts
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
        try container.encode(verdicts, forKey: .verdicts)
    }
}

/// How many good and defective test scans a model's stored threshold judged defective.
public struct VerdictCounts: Sendable, Equatable, Codable {
    /// Good scans judged defective (false alarms).
    public var goodJudgedDefective = 0
    /// Good scans.
    public var good = 0
    /// Defective scans judged defective.
    public var defectiveJudgedDefective = 0
    /// Defective scans.
    public var defective = 0

    private enum CodingKeys: String, CodingKey {
        case good, defective
        case goodJudgedDefective = "good_judged_defective", defectiveJudgedDefective = "defective_judged_defective"
    }

    /// No scans yet.
    public init() {}

    /// Counts one scan: whether it is defective, and whether it was judged so.
    public mutating func add(isDefective: Bool, judgedDefective: Bool) {
        if isDefective {
            defective += 1
            defectiveJudgedDefective += judgedDefective ? 1 : 0
        } else {
            good += 1
            goodJudgedDefective += judgedDefective ? 1 : 0
        }
    }

    /// The counts of several categories together.
    static func pooled(_ counts: [VerdictCounts]) -> VerdictCounts {
        counts.reduce(into: VerdictCounts()) { total, next in
            total.good += next.good
            total.goodJudgedDefective += next.goodJudgedDefective
            total.defective += next.defective
            total.defectiveJudgedDefective += next.defectiveJudgedDefective
        }
    }

    /// "k/n (p %)" for a part of a whole; "n/a" for an empty whole.
    static func share(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "n/a" : String(format: "%d/%d (%.1f%%)", part, whole, 100 * Double(part) / Double(whole))
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
        return TextFormatting.table(rows) + defectKindTable() + verdictTable()
    }

    /// The verdicts at the models' stored thresholds after a blank line (all categories pooled in a
    /// `all` row when there are several), or nothing when no category has them.
    private func verdictTable() -> String {
        let judged = categories.compactMap { c in c.verdicts.map { (c.name, $0) } }
        guard !judged.isEmpty else { return "" }
        var rows = [["category", "good judged defective", "defective judged defective"]]
        let all = judged.count > 1 ? [("all", VerdictCounts.pooled(judged.map(\.1)))] : []
        for (name, counts) in judged + all {
            rows.append([
                name, VerdictCounts.share(counts.goodJudgedDefective, of: counts.good),
                VerdictCounts.share(counts.defectiveJudgedDefective, of: counts.defective),
            ])
        }
        return "\n\n" + TextFormatting.table(rows)
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
