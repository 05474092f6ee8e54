import AD3DTensor
import Foundation

extension ReportPage {
    /// The section of one category: model and thresholds, confusion, defect types, renders.
    func section(for category: ReportCategory, workers: Int, progress: (() -> Void)?) throws -> String {
        var html = "<section>\n<h2>\(category.name.htmlEscaped)</h2>\n<div class=\"tables\">\n"
        html += modelTable(category)
        if category.scans.contains(where: { $0.isJudgedDefective != nil }) {
            html += confusionTable(ObjectConfusion(scans: category.scans))
        }
        html += try defectTypeTable(category)
        html += "</div>\n"
        html += try rendersGrid(category, workers: workers, progress: progress)
        return html + "</section>\n"
    }

    private func modelTable(_ category: ReportCategory) -> String {
        let model = category.model, thresholds = category.thresholds
        var rows = [
            ("model file", model.path), ("method", model.method), ("ad3d version", model.version ?? "unknown"),
            ("training scans", "\(model.trainingScans)"),
        ]
        for pair in thresholds.pairs {
            rows.append(("object threshold, \(pair.scans)", Self.score(pair.object)))
            rows.append(("point threshold, \(pair.scans)", Self.score(Double(pair.point))))
        }
        rows.append(("thresholds from", thresholds.source))
        return "<table>\n<caption>Model</caption>\n"
            + rows.map { "<tr><th>\($0.0.htmlEscaped)</th><td>\($0.1.htmlEscaped)</td></tr>\n" }.joined()
            + "</table>\n"
    }

    private func confusionTable(_ confusion: ObjectConfusion) -> String {
        """
        <table class="confusion">
        <caption>Verdicts at the object thresholds</caption>
        <tr><th></th><th>judged defective</th><th>judged good</th></tr>
        <tr><th>defective</th><td class="hit">\(confusion.truePositives)</td><td class="miss">\(confusion.falseNegatives)</td></tr>
        <tr><th>good</th><td class="miss">\(confusion.falsePositives)</td><td class="hit">\(confusion.trueNegatives)</td></tr>
        </table>\n
        """
    }

    private func defectTypeTable(_ category: ReportCategory) throws -> String {
        let rows = try DefectTypeRow.rows(of: category.scans)
        var html = "<table>\n<caption>By defect type</caption>\n"
        html += "<tr><th>type</th><th>scans</th><th>judged defective</th><th>object AUROC vs good</th></tr>\n"
        for row in rows {
            let detected = row.detected.map(String.init) ?? "n/a"
            html += "<tr><th>\(row.defectType.htmlEscaped)</th><td>\(row.count)</td><td>\(detected)</td><td>\(Self.metric(row.objectAUROC))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// Every rendered scan as a card: its name, type, score and verdict above three views.
    private func rendersGrid(_ category: ReportCategory, workers: Int, progress: (() -> Void)?) throws -> String {
        let scans = renderedScans(of: category)
        var cards = [String]()
        try ParallelMap.inBatches(count: scans.count, workers: workers) { index in
            try ScanRenders(scans[index])
        } collect: { renders, range in
            for (scan, render) in zip(scans[range], renders) {
                cards.append(card(scan, render))
                progress?()
            }
        }
        let views = ViewDirection.report.map(\.name).joined(separator: ", ")
        return """
            <h3>Heat maps</h3>
            <p class="note">\(category.colorScale.htmlEscaped). Views: \(views.htmlEscaped). \
            Black outlines: defect regions (connected points at or above the point threshold).</p>
            <div class="grid">
            \(cards.joined())</div>\n
            """
    }

    private func card(_ scan: ReportScan, _ render: ScanRenders) -> String {
        var verdict = ""
        if let defective = scan.isJudgedDefective {
            verdict = " · <span class=\"\(defective ? "bad" : "ok")\">judged \(defective ? "defective" : "good")</span>"
        }
        let regions = render.regionCount == 1 ? "1 region" : "\(render.regionCount) regions"
        let images = render.pngs.map {
            "<img width=\"200\" height=\"200\" alt=\"\(scan.name.htmlEscaped)\" src=\"data:image/png;base64,\($0.base64EncodedString())\">"
        }.joined()
        return """
            <figure><figcaption><b>\(scan.name.htmlEscaped)</b> · \(scan.defectType.htmlEscaped) · \
            score \(Self.score(scan.objectScore))\(verdict) · \(regions)</figcaption>\(images)</figure>\n
            """
    }

    /// The page's style sheet.
    static let style = """
        body{font-family:sans-serif;margin:24px;color:#222;max-width:1360px}
        h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
        h3{font-size:15px}.note{color:#555;font-size:13px}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.tables{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
        table{border-collapse:collapse;font-size:13px}caption{font-weight:bold;text-align:left;padding:4px 0}
        th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}td{text-align:right;font-variant-numeric:tabular-nums}
        .confusion .hit{background:#e3f4e3}.confusion .miss{background:#fbe3e3}
        .grid{display:flex;flex-wrap:wrap;gap:14px}
        figure{margin:0;border:1px solid #ddd;padding:6px;background:#fafafa}
        figcaption{font-size:12px;margin-bottom:4px}img{display:inline-block;margin-right:2px}
        .bad{color:#b00;font-weight:bold}.ok{color:#070}
        """
}
