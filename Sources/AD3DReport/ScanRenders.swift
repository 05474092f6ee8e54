import AD3DDetection
import AD3DPointCloud
import Foundation

/// The heat-map images of one scan from the report's viewpoints, with its defect regions outlined.
public struct ScanRenders: Sendable {
    /// One PNG file per view of `ViewDirection.report`, in that order.
    public var pngs: [Data]
    /// How many defect regions were outlined.
    public var regionCount: Int

    /// Renders `scan` at `size` × `size` pixels from each report view; points scoring at least
    /// its point threshold that form regions of `minimumRegionPoints` or more (`DefectRegion.find`)
    /// are outlined.
    public init(_ scan: ReportScan, size: Int = 240, minimumRegionPoints: Int = ScoreCalibration.defaultRegionPoints) throws {
        let pointThreshold = scan.pointThreshold
        var marked: [Bool]?
        let regions = try pointThreshold.map {
            try DefectRegion.find(in: scan.cloud, scores: scan.pointScores, threshold: $0, minimumPoints: minimumRegionPoints)
        } ?? []
        if pointThreshold != nil {
            var flags = [Bool](repeating: false, count: scan.cloud.count)
            for region in regions { for index in region.pointIndices { flags[index] = true } }
            marked = flags
        }
        let points = (0..<scan.cloud.count).map { scan.cloud[$0] }
        let spacing = try Self.medianSpacing(scan.cloud)
        pngs = ViewDirection.report.map { view in
            let projection = OrthographicProjection.fitting(points, view: view, width: size, height: size)
            // Splat radius one point spacing: with 0.6 spacings the gaps of randomly sampled
            // surfaces showed as white specks.
            let radius = min(4, max(1, Int((spacing * projection.pixelsPerUnit).rounded(.up))))
            let image = PointSplatRenderer(splatRadius: radius)
                .render(points, colors: scan.colors, marked: marked, projection: projection)
            return PNGEncoder.encode(image)
        }
        regionCount = regions.count
    }

    private static func medianSpacing(_ cloud: PointCloud) throws -> Float {
        guard cloud.count > 1 else { return 0 }
        return try KDTree(cloud).medianSpacing(at: Downsampling.fixedSubset(cloud, count: 2048))
    }
}
