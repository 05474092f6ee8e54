import Foundation

/// What was made for one scan: enough to reproduce and audit it.
public struct SampleRecord: Sendable, Equatable, Codable {
    /// File name without extension (`0_template`, `3_good`, `7_hole`).
    public var name: String
    /// `train` or `test`.
    public var split: String
    /// `good` or the defect type.
    public var kind: String
    /// Points in the written scan.
    public var points: Int
    /// Points labelled anomalous.
    public var anomalousPoints: Int
    /// `anomalousPoints / points`.
    public var anomalousFraction: Double
    /// Seed of this scan's random stream.
    public var seed: UInt64
    /// Row-major rotation of the pose (written point = R·p + t, p in the part's frame).
    public var rotation: [Float]
    /// Translation of the pose.
    public var translation: SIMD3<Float>
    /// Direction from the part to the virtual sensor, for a single-view scan.
    public var sensorDirection: SIMD3<Float>?
    /// Position of the virtual sensor in the part's frame, for a single-view scan (absent in
    /// manifests written before sensors had a position).
    public var sensorPosition: SIMD3<Float>?
    /// The defect, in the part's frame (nil for good scans).
    public var defect: DefectParameters?
    /// Draws needed to meet the fraction range (defective scans).
    public var attempts: Int?
}

/// One category's manifest (`<category>/manifest.json`).
public struct CategoryManifest: Sendable, Equatable, Codable {
    /// Category folder name.
    public var category: String
    /// Built-in part name or mesh file path.
    public var source: String
    /// Seed of the category's random stream.
    public var seed: UInt64
    /// Bounding-box diagonal of the part (the unit of the relative settings).
    public var diagonal: Float
    /// Surface area of the part.
    public var area: Double
    /// Absolute displacement above which a point is labelled.
    public var labelThreshold: Float
    /// Absolute standard deviation of the scanner noise.
    public var noiseSigma: Float
    /// The settings used.
    public var settings: SynthesisSettings
    /// Every scan, training scans first, in name order of creation.
    public var samples: [SampleRecord]

    /// Count and anomalous fractions of the defective test scans, per defect type (settings order).
    public var summary: [DefectSummary] {
        settings.defectKinds.compactMap { kind in
            let fractions = samples.filter { $0.kind == kind.rawValue }.map(\.anomalousFraction)
            guard let low = fractions.min(), let high = fractions.max() else { return nil }
            return DefectSummary(
                kind: kind, samples: fractions.count, meanFraction: fractions.reduce(0, +) / Double(fractions.count),
                minFraction: low, maxFraction: high)
        }
    }
}

/// Anomalous fractions of the scans of one defect type.
public struct DefectSummary: Sendable, Equatable, Codable {
    /// The defect type.
    public var kind: DefectKind
    /// Number of scans.
    public var samples: Int
    /// Mean, smallest and largest anomalous fraction.
    public var meanFraction: Double, minFraction: Double, maxFraction: Double
}
