import AD3DEvaluation
import AD3DTensor
import Foundation

/// The visual report: one self-contained HTML page (inline CSS, inline SVG charts, PNG renders as
/// data URIs; nothing fetched from the network) with, for every category, ROC and PR curves,
/// a per-defect-type table, the confusion at the threshold, the model's metadata and heat-map
/// renders of every defective scan and the highest-scoring good ones.
public struct ReportPage: Sendable {
    /// The page's heading, e.g. the dataset folder.
    public var title: String
    /// What wrote the page, e.g. `ad3d 0.1.0`.
    public var generator: String
    /// The categories, in page order.
    public var categories: [ReportCategory]
    /// How many of a category's good scans are rendered (the highest-scoring ones).
    public var renderedGoodScans: Int

    /// A page headed `title` showing `categories`.
    public init(title: String, generator: String, categories: [ReportCategory], renderedGoodScans: Int = 3) {
        self.title = title
        self.generator = generator
        self.categories = categories
        self.renderedGoodScans = renderedGoodScans
    }

    /// The scans of `category` the page renders: every defective one in natural order of their
    /// names (`2_cut` before `10_cut`), then the `renderedGoodScans` good ones with the highest
    /// object scores.
    public func renderedScans(of category: ReportCategory) -> [ReportScan] {
        let good = category.scans.filter { !$0.isDefective }.sorted { $0.objectScore > $1.objectScore }
        let defective = category.scans.filter(\.isDefective).sorted {
            $0.name.compare($1.name, options: .numeric) == .orderedAscending
        }
        return defective + good.prefix(renderedGoodScans)
    }

    /// How many scans the page renders, for a progress bar.
    public var renderedScanCount: Int { categories.reduce(0) { $0 + renderedScans(of: $1).count } }

    /// The page as HTML; renders run on `workers` threads and `progress` is called once per
    /// rendered scan.
    public func html(workers: Int = 1, progress: (() -> Void)? = nil) throws -> String {
        var body = "<h1>ad3d report: \(title.htmlEscaped)</h1>\n"
        body += "<p class=\"note\">\(categories.count) \(categories.count == 1 ? "category" : "categories"), written by \(generator.htmlEscaped).</p>\n"
        body += try curvesSection() + summaryTable()
        for category in categories {
            body += try section(for: category, workers: workers, progress: progress)
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>ad3d report: \(title.htmlEscaped)</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            \(body)</body>
            </html>\n
            """
    }

    /// Object and point ROC and PR charts, one curve per category.
    private func curvesSection() throws -> String {
        var objectROC = [ChartSeries](), objectPR = [ChartSeries](), pointROC = [ChartSeries](), pointPR = [ChartSeries]()
        for (index, category) in categories.enumerated() {
            let color = ChartSeries.color(at: index)
            let objects = try category.objectRanking(), points = try category.pointRanking()
            if let curve = objects.rocCurve, let area = objects.areaUnderROC {
                objectROC.append(ChartSeries(name: "\(category.name) (AUROC \(Self.metric(area)))", color: color, points: Self.rocPoints(curve)))
            }
            if let curve = objects.precisionRecallCurve, let area = objects.averagePrecision {
                objectPR.append(ChartSeries(name: "\(category.name) (AP \(Self.metric(area)))", color: color, points: Self.stepPoints(curve)))
            }
            if let curve = points.rocCurve, let area = points.areaUnderROC {
                pointROC.append(ChartSeries(name: "\(category.name) (AUROC \(Self.metric(area)))", color: color, points: Self.rocPoints(curve)))
            }
            if let curve = points.precisionRecallCurve, let area = points.averagePrecision {
                pointPR.append(ChartSeries(name: "\(category.name) (AP \(Self.metric(area)))", color: color, points: Self.stepPoints(curve)))
            }
        }
        let charts = [
            SVGLineChart(title: "Objects: ROC", xLabel: "false-positive rate", yLabel: "true-positive rate", series: objectROC, showsDiagonal: true),
            SVGLineChart(title: "Objects: precision–recall", xLabel: "recall", yLabel: "precision", series: objectPR),
            SVGLineChart(title: "Points: ROC", xLabel: "false-positive rate", yLabel: "true-positive rate", series: pointROC, showsDiagonal: true),
            SVGLineChart(title: "Points: precision–recall", xLabel: "recall", yLabel: "precision", series: pointPR),
        ]
        return "<h2>Curves</h2>\n<div class=\"charts\">\n" + charts.map { $0.svg() }.joined(separator: "\n") + "\n</div>\n"
    }

    /// Object and point AUROC / AUPR and the scan counts of every category.
    private func summaryTable() throws -> String {
        var rows = ""
        for category in categories {
            let objects = try category.objectRanking(), points = try category.pointRanking()
            let cells = [
                Self.metric(objects.areaUnderROC), Self.metric(objects.averagePrecision),
                Self.metric(points.areaUnderROC), Self.metric(points.averagePrecision),
                "\(objects.negativeCount)", "\(objects.positiveCount)",
            ]
            rows += "<tr><th>\(category.name.htmlEscaped)</th>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return """
            <h2>Summary</h2>
            <table><tr><th>category</th><th>object AUROC</th><th>object AUPR</th><th>point AUROC</th>\
            <th>point AUPR</th><th>good scans</th><th>defective scans</th></tr>
            \(rows)</table>\n
            """
    }

    /// ROC points in chart coordinates (false-positive rate, true-positive rate).
    private static func rocPoints(_ curve: [ROCPoint]) -> [SIMD2<Double>] {
        curve.map { SIMD2($0.falsePositiveRate, $0.truePositiveRate) }
    }

    /// The precision–recall curve drawn as the steps average precision sums: from recall 0 at the
    /// first precision, each precision held until its recall is reached.
    private static func stepPoints(_ curve: [PrecisionRecallPoint]) -> [SIMD2<Double>] {
        var points = [SIMD2<Double>]()
        var recall = 0.0
        for point in curve {
            points.append(SIMD2(recall, point.precision))
            points.append(SIMD2(point.recall, point.precision))
            recall = point.recall
        }
        return points
    }

    /// A metric with three decimals, `n/a` when undefined.
    static func metric(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }

    /// A score with four significant digits, `none` when absent.
    static func score(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "none" }
}
