import AD3DEvaluation
import Foundation

/// The defect regions of scored scans as people and programs read them: one indented line per
/// region for the terminal, `regions.csv` for a score folder, JSON objects for `--json`.
public enum DefectRegionReport {
    /// The columns of `regions.csv`.
    public static let csvHeader = [
        "scan", "region", "points", "centroid_x", "centroid_y", "centroid_z", "min_x", "min_y", "min_z", "max_x", "max_y",
        "max_z", "peak_score", "peak_x", "peak_y", "peak_z",
    ]

    /// Terminal lines for one scan's regions (numbered from 1), or one line saying there are none.
    public static func lines(_ regions: [DefectRegion], threshold: Float) -> [String] {
        guard !regions.isEmpty else { return ["    no region scores \(formatted(threshold)) or more"] }
        return regions.enumerated().map { index, region in
            let size = region.upperBound - region.lowerBound, count = region.pointIndices.count
            return "    region \(index + 1): \(count) point\(count == 1 ? "" : "s") around \(triple(region.centroid)),"
                + " size \(formatted(size.x)) × \(formatted(size.y)) × \(formatted(size.z)), peak \(formatted(region.peakScore))"
                + " at \(triple(region.peakPoint))"
        }
    }

    /// `regions.csv`: the header, then one row per region of each scan, numbered from 1 per scan
    /// (scan names quoted where CSV needs it).
    public static func csv(_ scans: [(scan: String, regions: [DefectRegion])]) throws -> String {
        var rows = [[String]]()
        for (scan, regions) in scans {
            for (index, region) in regions.enumerated() {
                let numbers = [region.centroid, region.lowerBound, region.upperBound].flatMap { [$0.x, $0.y, $0.z] }
                    + [region.peakScore, region.peakPoint.x, region.peakPoint.y, region.peakPoint.z]
                rows.append([scan, "\(index + 1)", "\(region.pointIndices.count)"] + numbers.map { "\($0)" })
            }
        }
        return try CSVDocument.text(header: csvHeader, rows: rows)
    }

    /// A region as JSON (`--json`).
    public struct Entry: Encodable, Sendable, Equatable {
        /// Number of points in the region.
        public let points: Int
        /// The mean of its points.
        public let centroid: [Float]
        /// The smallest corner of its bounding box.
        public let min: [Float]
        /// The largest corner of its bounding box.
        public let max: [Float]
        /// Its highest score.
        public let peakScore: Float
        /// Where that score is.
        public let peakPoint: [Float]

        /// The entry of `region`.
        public init(_ region: DefectRegion) {
            func array(_ point: SIMD3<Float>) -> [Float] { [point.x, point.y, point.z] }
            points = region.pointIndices.count
            centroid = array(region.centroid)
            min = array(region.lowerBound)
            max = array(region.upperBound)
            peakScore = region.peakScore
            peakPoint = array(region.peakPoint)
        }

        enum CodingKeys: String, CodingKey {
            case points, centroid, min, max
            case peakScore = "peak_score", peakPoint = "peak_point"
        }
    }

    /// `(x, y, z)` with four significant digits.
    private static func triple(_ point: SIMD3<Float>) -> String {
        "(\(formatted(point.x)), \(formatted(point.y)), \(formatted(point.z)))"
    }

    /// A number with four significant digits.
    private static func formatted(_ value: Float) -> String { String(format: "%.4g", Double(value)) }
}
