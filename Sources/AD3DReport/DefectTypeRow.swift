import AD3DEvaluation

/// One row of the report's per-defect-type table.
public struct DefectTypeRow: Sendable, Equatable {
    /// The defect type (`good` for the good scans).
    public var defectType: String
    /// How many test scans have this type.
    public var count: Int
    /// How many of them are judged defective (for `good`: the false alarms); nil when some lack
    /// an object threshold.
    public var detected: Int?
    /// Object AUROC of the scans of this type against all good scans; nil for `good` itself.
    public var objectAUROC: Double?

    /// One row per defect type of `scans`, `good` first, the others sorted by name.
    public static func rows(of scans: [ReportScan]) throws -> [DefectTypeRow] {
        let good = scans.filter { !$0.isDefective }
        let types = Set(scans.map(\.defectType))
        let ordered = (types.contains("good") ? ["good"] : []) + types.subtracting(["good"]).sorted()
        return try ordered.map { type in
            let members = scans.filter { $0.defectType == type }
            let verdicts = members.compactMap(\.isJudgedDefective)
            let detected = verdicts.count == members.count ? verdicts.filter { $0 }.count : nil
            var auroc: Double?
            if members.allSatisfy(\.isDefective) {
                let compared = members + good
                auroc = try RankedScores(scores: compared.map(\.objectScore), labels: compared.map(\.isDefective)).areaUnderROC
            }
            return DefectTypeRow(defectType: type, count: members.count, detected: detected, objectAUROC: auroc)
        }
    }
}

/// Counts of scans by label and verdict.
public struct ObjectConfusion: Sendable, Equatable {
    /// Defective scans judged defective.
    public var truePositives = 0
    /// Defective scans judged good.
    public var falseNegatives = 0
    /// Good scans judged defective.
    public var falsePositives = 0
    /// Good scans judged good.
    public var trueNegatives = 0

    /// The confusion of the verdicts on `scans` (those without an object threshold left out).
    public init(scans: [ReportScan]) {
        for scan in scans {
            guard let judgedDefective = scan.isJudgedDefective else { continue }
            switch (scan.isDefective, judgedDefective) {
            case (true, true): truePositives += 1
            case (true, false): falseNegatives += 1
            case (false, true): falsePositives += 1
            case (false, false): trueNegatives += 1
            }
        }
    }
}
