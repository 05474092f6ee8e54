import Foundation

/// One curve of a chart.
public struct ChartSeries: Sendable, Equatable {
    /// The legend's label.
    public var name: String
    /// A CSS colour.
    public var color: String
    /// The curve's points in data units, drawn joined in order.
    public var points: [SIMD2<Double>]

    /// A curve named `name`, drawn in `color` through `points`.
    public init(name: String, color: String, points: [SIMD2<Double>]) {
        self.name = name
        self.color = color
        self.points = points
    }

    /// Distinct colours for up to ten curves (then repeating), the Tableau 10 palette.
    public static func color(at index: Int) -> String {
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        return palette[index % palette.count]
    }
}

/// A line chart on the unit square (both axes 0 to 1, as ROC and PR curves are) written as
/// inline SVG: axes, ticks every 0.2, axis labels, a title, one polyline per series and a legend
/// under the plot.
public struct SVGLineChart: Sendable {
    /// Shown above the plot.
    public var title: String
    /// The x axis's label.
    public var xLabel: String
    /// The y axis's label.
    public var yLabel: String
    /// The curves.
    public var series: [ChartSeries]
    /// Whether to draw the dashed diagonal of a chance-level ROC curve.
    public var showsDiagonal: Bool

    /// A chart titled `title` with axis labels `xLabel` and `yLabel`.
    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], showsDiagonal: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.showsDiagonal = showsDiagonal
    }

    private static let plotSize = 220.0
    private static let left = 52.0, top = 28.0, legendLine = 16.0
    /// Data 0 and 1 lie this many pixels inside the frame, so that a perfect curve stays visible.
    private static let inset = 4.0

    /// The horizontal pixel position of data value `x`.
    private func xPixel(_ x: Double) -> Double { Self.left + Self.inset + x * (Self.plotSize - 2 * Self.inset) }

    /// The vertical pixel position of data value `y`.
    private func yPixel(_ y: Double) -> Double { Self.top + Self.plotSize - Self.inset - y * (Self.plotSize - 2 * Self.inset) }

    /// The chart as an `<svg>` element.
    public func svg() -> String {
        let size = Self.plotSize, left = Self.left, top = Self.top
        let bottom = top + size
        let width = left + size + 16
        let height = bottom + 44 + Self.legendLine * Double(max(series.count, 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <text x="\(left + size / 2)" y="16" text-anchor="middle" font-size="13" font-weight="bold">\(title.htmlEscaped)</text>
            <rect x="\(left)" y="\(top)" width="\(size)" height="\(size)" fill="none" stroke="#444"/>\n
            """
        for tick in stride(from: 0.0, through: 1.0001, by: 0.2) {
            let x = xPixel(tick), y = yPixel(tick), label = String(format: "%.1f", tick)
            svg += """
                <line x1="\(x)" y1="\(bottom)" x2="\(x)" y2="\(bottom + 4)" stroke="#444"/>\
                <text x="\(x)" y="\(bottom + 15)" text-anchor="middle">\(label)</text>
                <line x1="\(left - 4)" y1="\(y)" x2="\(left)" y2="\(y)" stroke="#444"/>\
                <text x="\(left - 6)" y="\(y + 4)" text-anchor="end">\(label)</text>
                <line x1="\(left)" y1="\(y)" x2="\(left + size)" y2="\(y)" stroke="#eee"/>\n
                """
        }
        svg += """
            <text x="\(left + size / 2)" y="\(bottom + 30)" text-anchor="middle">\(xLabel.htmlEscaped)</text>
            <text transform="translate(14 \(top + size / 2)) rotate(-90)" text-anchor="middle">\(yLabel.htmlEscaped)</text>\n
            """
        if showsDiagonal {
            svg += "<line x1=\"\(xPixel(0))\" y1=\"\(yPixel(0))\" x2=\"\(xPixel(1))\" y2=\"\(yPixel(1))\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>\n"
        }
        for curve in series {
            let path = Self.pixelPath(curve.points).map { String(format: "%.1f,%.1f", xPixel($0.x), yPixel($0.y)) }
            svg += "<polyline fill=\"none\" stroke=\"\(curve.color.htmlEscaped)\" stroke-width=\"1.8\" points=\"\(path.joined(separator: " "))\"/>\n"
        }
        if series.isEmpty {
            svg += "<text x=\"\(left + size / 2)\" y=\"\(top + size / 2)\" text-anchor=\"middle\" fill=\"#888\">undefined: one class only</text>\n"
        }
        for (index, curve) in series.enumerated() {
            let y = bottom + 46 + Self.legendLine * Double(index)
            svg += """
                <line x1="\(left)" y1="\(y - 4)" x2="\(left + 18)" y2="\(y - 4)" stroke="\(curve.color.htmlEscaped)" stroke-width="3"/>\
                <text x="\(left + 24)" y="\(y)">\(curve.name.htmlEscaped)</text>\n
                """
        }
        return svg + "</svg>"
    }

    /// `points` without those closer than half a pixel to the last one kept (the last point is
    /// always kept), so that a curve through 100 000 thresholds stays a small element.
    static func pixelPath(_ points: [SIMD2<Double>]) -> [SIMD2<Double>] {
        guard let last = points.last else { return [] }
        let step = 0.5 / plotSize
        var kept = [SIMD2<Double>]()
        for point in points.dropLast() {
            if let previous = kept.last, abs(point.x - previous.x) < step && abs(point.y - previous.y) < step { continue }
            kept.append(point)
        }
        return kept + [last]
    }
}
