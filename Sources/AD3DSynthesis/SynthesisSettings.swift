import AD3DPointCloud

/// How test and training scans are posed relative to the part's own frame.
public enum PoseMode: String, Sendable, CaseIterable, Codable {
    /// Every scan in the part's frame.
    case aligned
    /// A small random rotation (up to 3°) and shift (about 1% of the diagonal) per scan.
    case jitter
    /// A uniformly random orientation per scan.
    case random
}

/// Which scans are single views: what a sensor at a point in space sees of the part (surface
/// facing it, not at a grazing angle, not hidden behind other parts of the part).
public enum PartialViewMode: String, Sendable, CaseIterable, Codable {
    /// All scans are complete.
    case none
    /// Test scans are single views from random directions all around, training scans complete
    /// (as in Real3D-AD).
    case test
    /// Every scan is a single view from its own random direction.
    case all
    /// Every scan, training scans included, is a single view from one direction per category,
    /// turned by up to 10° per scan: parts seated in a fixture under a fixed scanner.
    case fixture

    /// Whether a scan of the given split is a single view.
    func isSingleView(training: Bool) -> Bool {
        switch self {
        case .none: return false
        case .test: return !training
        case .all, .fixture: return true
        }
    }
}

/// The PCD data encoding of written scans (both hold the exact float coordinates).
public enum PCDDataEncoding: String, Sendable, CaseIterable, Codable {
    /// `DATA ascii`, shortest round-trip decimals.
    case ascii
    /// `DATA binary`, little-endian float32.
    case binary

    /// The matching writer format.
    var writeFormat: PointCloudWriteFormat { self == .ascii ? .pcdASCII : .pcdBinary }
}

/// Everything that controls a synthesized benchmark; recorded in every category's manifest.
public struct SynthesisSettings: Sendable, Equatable, Codable {
    /// Good training scans per category.
    public var trainCount = 4
    /// Good test scans per category.
    public var goodCount = 6
    /// Defective test scans per defect type.
    public var defectsPerKind = 2
    /// Points sampled per scan, drawn uniformly from this range (before holes and partial views).
    public var points: ClosedRange<Int> = 10_000...30_000
    /// Scanner noise: Gaussian standard deviation per coordinate, relative to the part's diagonal.
    public var noise: Float = 0.0005
    /// Shape variation between good instances: the typical displacement of a smooth random
    /// deformation per scan, relative to the diagonal (0: every instance is the same part).
    public var variation: Float = 0
    /// Scan pose.
    public var pose: PoseMode = .aligned
    /// Single-view scans.
    public var partialView: PartialViewMode = .none
    /// Defect types to make, in this order.
    public var defectKinds: [DefectKind] = DefectKind.allCases
    /// Accepted anomalous fraction of a defective scan's points.
    public var defectSize: ClosedRange<Double> = 0.005...0.10
    /// Displacement (relative to the diagonal) above which a point is labelled anomalous.
    public var labelThreshold: Float = 0.005
    /// Seed of every random choice.
    public var seed: UInt64 = 0
    /// PCD encoding of the scans.
    public var encoding: PCDDataEncoding = .binary

    /// The defaults (see each property).
    public init() {}

    /// Checks that every value is usable.
    public func validate() throws(SynthesisError) {
        func fail(_ name: String, _ problem: String) -> SynthesisError { .invalidSetting(name: name, problem: problem) }
        guard trainCount >= 0, goodCount >= 0, defectsPerKind >= 0 else {
            throw fail("counts", "scan counts must not be negative")
        }
        guard goodCount + defectsPerKind * defectKinds.count > 0 else {
            throw fail("counts", "no test scans to write; ask for good or defective test scans")
        }
        guard points.lowerBound >= 100, points.upperBound <= 10_000_000 else {
            throw fail("--points", "points per scan must lie in 100–10000000, got \(points.lowerBound)–\(points.upperBound)")
        }
        guard noise >= 0, noise <= 0.05 else { throw fail("--noise", "must lie in 0–0.05 (relative to the diagonal)") }
        guard variation >= 0, variation <= 0.2 else {
            throw fail("--variation", "must lie in 0–0.2 (relative to the diagonal)")
        }
        guard labelThreshold > 0, labelThreshold <= 0.1 else {
            throw fail("--label-threshold", "must lie in (0, 0.1] (relative to the diagonal)")
        }
        guard noise < labelThreshold / 2 else {
            throw fail("--noise", "noise \(noise) drowns the label threshold \(labelThreshold); keep it below half of it")
        }
        guard defectSize.lowerBound > 0, defectSize.upperBound <= 0.5 else {
            throw fail("--defect-size", "fractions must lie in (0, 0.5], got \(defectSize.lowerBound)–\(defectSize.upperBound)")
        }
        guard Set(defectKinds).count == defectKinds.count else { throw fail("--defects", "a defect type is listed twice") }
        guard defectsPerKind == 0 || !defectKinds.isEmpty else { throw fail("--defects", "no defect type given") }
    }
}
