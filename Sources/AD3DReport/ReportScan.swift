import AD3DPointCloud

/// One scored test scan as the report shows it.
public struct ReportScan: Sendable {
    /// The scan's file name without extension, e.g. `10_cut`.
    public var name: String
    /// The scored points.
    public var cloud: PointCloud
    /// One score per point.
    public var pointScores: [Float]
    /// One ground-truth label per point: 1 anomalous, 0 good.
    public var pointLabels: [UInt8]
    /// The scan's object score.
    public var objectScore: Double
    /// Whether the scan is labelled defective.
    public var isDefective: Bool
    /// One heat colour per point, on the model's scale.
    public var colors: [SIMD3<UInt8>]
    /// The object score from which this scan is judged defective; nil: no verdict.
    public var objectThreshold: Double?
    /// The point score from which its points form defect regions; nil: no regions.
    public var pointThreshold: Float?

    /// A scan with its scores, labels and heat colours (one of each per point), judged at
    /// `objectThreshold` and `pointThreshold`.
    public init(
        name: String, cloud: PointCloud, pointScores: [Float], pointLabels: [UInt8], objectScore: Double,
        isDefective: Bool, colors: [SIMD3<UInt8>], objectThreshold: Double?, pointThreshold: Float?
    ) {
        precondition(
            pointScores.count == cloud.count && pointLabels.count == cloud.count && colors.count == cloud.count,
            "one score, label and colour per point")
        self.name = name
        self.cloud = cloud
        self.pointScores = pointScores
        self.pointLabels = pointLabels
        self.objectScore = objectScore
        self.isDefective = isDefective
        self.colors = colors
        self.objectThreshold = objectThreshold
        self.pointThreshold = pointThreshold
    }

    /// Whether the scan is judged defective; nil without an object threshold.
    public var isJudgedDefective: Bool? { objectThreshold.map { objectScore >= $0 } }

    /// The defect type named by the file name (see `defectType(ofScanNamed:isDefective:)`).
    public var defectType: String { Self.defectType(ofScanNamed: name, isDefective: isDefective) }

    /// The defect type in a test scan's name, as `ad3d synth` and Real3D-AD write them: the text
    /// after the first `_` with trailing digits dropped (`10_cut` → `cut`, `3_good` → `good`,
    /// `ashtray0_bulge2` → `bulge`); without one, `good` or `defective` by the label.
    public static func defectType(ofScanNamed name: String, isDefective: Bool) -> String {
        if let underscore = name.firstIndex(of: "_") {
            let suffix = String(name[name.index(after: underscore)...].reversed().drop(while: \.isNumber).reversed())
            if !suffix.isEmpty { return suffix }
        }
        return isDefective ? "defective" : "good"
    }
}
