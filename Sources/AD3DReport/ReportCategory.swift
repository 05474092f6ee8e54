import AD3DEvaluation

/// What the report says about the model that scored a category.
public struct ModelSummary: Sendable, Equatable {
    /// The model file.
    public var path: String
    /// The detection method recorded in it (`sca`, `btf`, `patchcore`).
    public var method: String
    /// The ad3d version that wrote the report, when known.
    public var version: String?
    /// The number of scans the model was trained on (for a model without calibration, which does
    /// not record it, the number of scans in the category's `train/` folder).
    public var trainingScans: Int

    /// A summary of the model at `path`.
    public init(path: String, method: String, version: String?, trainingScans: Int) {
        self.path = path
        self.method = method
        self.version = version
        self.trainingScans = trainingScans
    }
}

/// Thresholds of one kind of scan, as the page lists them.
public struct ThresholdPair: Sendable, Equatable {
    /// The kind of scan they apply to, e.g. `complete scans`.
    public var scans: String
    /// The object threshold.
    public var object: Double
    /// The point threshold.
    public var point: Float

    /// The thresholds `object` and `point` for the scans named `scans`.
    public init(scans: String, object: Double, point: Float) {
        self.scans = scans
        self.object = object
        self.point = point
    }
}

/// The thresholds the verdicts of a category are drawn at, and where they come from.
public struct ReportThresholds: Sendable, Equatable {
    /// One pair per kind of scan (empty: no verdicts).
    public var pairs: [ThresholdPair]
    /// Where the thresholds come from, as shown on the page.
    public var source: String

    /// Thresholds `pairs` taken from `source`.
    public init(pairs: [ThresholdPair], source: String) {
        self.pairs = pairs
        self.source = source
    }
}

/// One category of the report: its model, thresholds and scored test scans.
public struct ReportCategory: Sendable {
    /// The category's name.
    public var name: String
    /// The model that scored it.
    public var model: ModelSummary
    /// The thresholds of its verdicts, for display (each scan carries its own).
    public var thresholds: ReportThresholds
    /// Its test scans, scored.
    public var scans: [ReportScan]
    /// What the heat colours of its scans mean, shown above the renders.
    public var colorScale: String

    /// A category named `name`, scored by `model`, judged at `thresholds`; `colorScale` says what
    /// the scans' colours mean.
    public init(name: String, model: ModelSummary, thresholds: ReportThresholds, scans: [ReportScan], colorScale: String) {
        self.name = name
        self.model = model
        self.thresholds = thresholds
        self.scans = scans
        self.colorScale = colorScale
    }

    /// Object scores ranked against the scans' labels.
    public func objectRanking() throws -> RankedScores {
        try RankedScores(scores: scans.map(\.objectScore), labels: scans.map(\.isDefective))
    }

    /// All points of all scans, pooled, ranked against their labels.
    public func pointRanking() throws -> RankedScores {
        try RankedScores(scores: scans.flatMap(\.pointScores), labels: scans.flatMap(\.pointLabels))
    }
}
