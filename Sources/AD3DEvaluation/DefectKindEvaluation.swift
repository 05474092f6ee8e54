/// Metrics of one defect type of a category: its defective scans against all good test scans.
public struct DefectKindEvaluation: Sendable, Equatable, Codable {
    /// The defect type, from the scans' names (`TestSample.defectKind`).
    public var kind: String
    /// Number of defective test scans of this type.
    public var scans: Int
    /// Object AUROC of this type's scans (positive) against the good scans.
    public var objectAUROC: Double?
    /// Point AUROC over the points of this type's scans and of the good scans.
    public var pointAUROC: Double?

    private enum CodingKeys: String, CodingKey {
        case kind, scans
        case objectAUROC = "object_auroc", pointAUROC = "point_auroc"
    }

    /// Metrics of the defect type `kind`.
    public init(kind: String, scans: Int, objectAUROC: Double?, pointAUROC: Double?) {
        self.kind = kind
        self.scans = scans
        self.objectAUROC = objectAUROC
        self.pointAUROC = pointAUROC
    }

    /// Encodes n/a metrics as `null` rather than dropping the key.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(scans, forKey: .scans)
        try container.encode(objectAUROC, forKey: .objectAUROC)
        try container.encode(pointAUROC, forKey: .pointAUROC)
    }
}

extension TestSample {
    /// The name given to a defective scan whose name carries no defect type.
    public static let unnamedDefectKind = "defective"

    /// A defective sample's defect type: the text after the last `_` of its name (the whole name
    /// without one) when that is letters only (`10_cut` → `cut`), otherwise `defective`; nil for
    /// a good sample.
    public var defectKind: String? {
        guard isDefective else { return nil }
        let suffix = name.split(separator: "_", omittingEmptySubsequences: false).last ?? ""
        return !suffix.isEmpty && suffix.allSatisfy(\.isLetter) ? String(suffix) : Self.unnamedDefectKind
    }
}
