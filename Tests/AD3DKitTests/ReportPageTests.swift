import Foundation
import Testing
import AD3DKit
@testable import AD3DReport

/// The report page's tables, its choice of scans to render and its self-containedness.
@Suite struct ReportPageTests {
    /// A scan of a 10 × 10 grid on a plane, its points scored by their column (so columns 8 and 9
    /// reach a point threshold of 8), labelled anomalous in those columns when defective.
    private func scan(_ name: String, objectScore: Double, isDefective: Bool) -> ReportScan {
        let points = (0..<100).map { SIMD3<Float>(Float($0 % 10), Float($0 / 10), 0) }
        let scores = (0..<100).map { Float($0 % 10) }
        return ReportScan(
            name: name, cloud: PointCloud(points: points), pointScores: scores,
            pointLabels: scores.map { isDefective && $0 >= 8 ? 1 : 0 }, objectScore: objectScore,
            isDefective: isDefective, colors: scores.map { HeatColormap.color(at: $0 / 9) }, objectThreshold: 3, pointThreshold: 8)
    }

    private var scans: [ReportScan] {
        [
            scan("1_good", objectScore: 1, isDefective: false), scan("2_good", objectScore: 3, isDefective: false),
            scan("3_cut", objectScore: 2, isDefective: true), scan("4_cut", objectScore: 5, isDefective: true),
            scan("5_hole", objectScore: 4, isDefective: true),
        ]
    }

    private func category(named name: String = "bracket") -> ReportCategory {
        ReportCategory(
            name: name, model: ModelSummary(path: "m.safetensors", method: "sca", version: "0.1.0", trainingScans: 4),
            thresholds: ReportThresholds(pairs: [ThresholdPair(scans: "all scans", object: 3, point: 8)], source: "test"), scans: scans, colorScale: "blue to red")
    }

    @Test(arguments: [
        ("10_cut", true, "cut"), ("3_good", false, "good"), ("ashtray0_bulge2", true, "bulge"),
        ("scan", true, "defective"), ("scan", false, "good"), ("7_", false, "good"),
    ])
    func defectTypeComesFromTheNameSuffix(name: String, isDefective: Bool, defectType: String) {
        #expect(ReportScan.defectType(ofScanNamed: name, isDefective: isDefective) == defectType)
    }

    @Test func defectTypeRowsCountDetectionsAndRankEachKindAgainstTheGoodScans() throws {
        let rows = try DefectTypeRow.rows(of: scans)
        // cut vs good: 2 beats 1, loses to 3; 5 beats both → 3 of 4 pairs. hole: 4 beats both.
        #expect(rows == [
            DefectTypeRow(defectType: "good", count: 2, detected: 1, objectAUROC: nil),
            DefectTypeRow(defectType: "cut", count: 2, detected: 1, objectAUROC: 0.75),
            DefectTypeRow(defectType: "hole", count: 1, detected: 1, objectAUROC: 1),
        ])
        var unjudged = scans
        unjudged[0].objectThreshold = nil
        #expect(try DefectTypeRow.rows(of: unjudged)[0].detected == nil)
        #expect(try DefectTypeRow.rows(of: unjudged)[1].detected == 1)
    }

    @Test func confusionCountsVerdictsAtTheThreshold() {
        let confusion = ObjectConfusion(scans: scans)
        #expect(confusion.truePositives == 2)
        #expect(confusion.falseNegatives == 1)
        #expect(confusion.falsePositives == 1)
        #expect(confusion.trueNegatives == 1)
    }

    @Test func everyDefectiveScanAndTheTopGoodOnesAreRendered() {
        let page = ReportPage(title: "data", generator: "ad3d test", categories: [category()], renderedGoodScans: 1)
        #expect(page.renderedScans(of: category()).map(\.name) == ["3_cut", "4_cut", "5_hole", "2_good"])
        #expect(page.renderedScanCount == 4)
    }

    @Test func pageIsSelfContained() throws {
        let page = ReportPage(title: "data", generator: "ad3d test", categories: [category(named: "a<b>")], renderedGoodScans: 1)
        var rendered = 0
        let html = try page.html(workers: 2) { rendered += 1 }
        #expect(rendered == 4)
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 4 * ViewDirection.report.count)
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("a&lt;b&gt;") && !html.contains("a<b>"))
        for external in ["<script", "<link", "src=\"http", "url(", "@import"] { #expect(!html.contains(external)) }
    }

    @Test func renderOutlinesTheRegionAboveThePointThreshold() throws {
        var cut = scan("4_cut", objectScore: 5, isDefective: true)
        let renders = try ScanRenders(cut, minimumRegionPoints: 5)
        #expect(renders.regionCount == 1)
        #expect(renders.pngs.count == ViewDirection.report.count)
        cut.pointThreshold = 100
        #expect(try ScanRenders(cut).regionCount == 0)
    }
}
