import Foundation
import Reporting
import Stats

extension HTMLReport {
    /// Cumulative relative lift per day for each treatment arm: the estimate as a line and
    /// the interval as a band (the always-valid one when decisions are sequential, since a
    /// chart over days is a series of looks). Bounds beyond ±100% are clipped.
    func liftOverTimePlot(_ metric: String) -> String {
        let points = data.cumulativeLift.filter { $0.metric == metric }
        let days = Array(Set(points.map(\.day))).sorted()
        guard let first = days.first, let last = days.last else { return "" }
        let sequential = data.report.comparisons.first?.usesSequentialPValue ?? true
        func band(_ p: CumulativeLiftPoint) -> Interval { sequential ? p.alwaysValidInterval : p.interval }
        let bounds = points.flatMap { [band($0).lower, band($0).upper, $0.estimate] }.compactMap { $0 }.filter(\.isFinite)
        let low = max(-1, min(bounds.min() ?? -0.1, 0))
        let high = min(1, max(bounds.max() ?? 0.1, 0))
        let span = max(high - low, 1e-9)
        let (width, height, left) = (600.0, 180.0, 50.0)
        func x(_ day: Date) -> Double {
            days.count > 1 ? left + (day.timeIntervalSince(first) / last.timeIntervalSince(first)) * (width - left - 10) : left + (width - left) / 2
        }
        func y(_ v: Double) -> Double { 10 + (high - min(max(v, low), high)) / span * (height - 20) }
        let level = sequential ? "always-valid" : "\(Int((data.confidenceLevel * 100).rounded()))%"
        var svg = "<p>Cumulative relative lift by day of entry, with its \(level) interval</p>"
        svg += "<svg width=\(Int(width)) height=\(Int(height + 20)) role=img aria-label=\"cumulative lift of \(escape(metric)) over time\">"
        svg += "<line x1=\(left) y1=\(y(0)) x2=\(width - 10) y2=\(y(0)) stroke=#999 stroke-dasharray=4 />"
        for (index, arm) in data.arms.filter({ $0 != data.controlArm }).enumerated() {
            let series = points.filter { $0.arm == arm }.sorted { $0.day < $1.day }
            guard !series.isEmpty else { continue }
            let colour = palette[(index + 1) % palette.count]
            let upper = series.map { String(format: "%.1f,%.1f", x($0.day), y(band($0).upper ?? high)) }
            let lower = series.reversed().map { String(format: "%.1f,%.1f", x($0.day), y(band($0).lower ?? low)) }
            svg += "<polygon fill=\(colour) fill-opacity=0.15 stroke=none points=\"\((upper + lower).joined(separator: " "))\" />"
            let line = series.map { String(format: "%.1f,%.1f", x($0.day), y($0.estimate)) }.joined(separator: " ")
            svg += "<polyline fill=none stroke=\(colour) stroke-width=2 points=\"\(line)\" />"
            if series.count == 1, let only = series.first {
                svg += String(format: "<circle cx=%.1f cy=%.1f r=4 fill=\(colour) />", x(only.day), y(only.estimate))
            }
            svg += "<text x=\(Int(left) + 110 * index) y=\(Int(height + 16)) fill=\(colour)>\(escape(arm))</text>"
        }
        svg += String(
            format: "<text x=0 y=%.1f>%.0f%%</text><text x=0 y=%.1f>0%%</text><text x=0 y=%.1f>%.0f%%</text>",
            y(high) + 4,
            high * 100,
            y(0) + 4,
            y(low),
            low * 100
        )
        let dayFormat = Date.ISO8601FormatStyle().year().month().day()
        svg += "<text x=\(Int(left)) y=\(Int(height + 4)) font-size=11>\(first.formatted(dayFormat))</text>"
        if days.count > 1 { svg += "<text x=\(Int(width - 80)) y=\(Int(height + 4)) font-size=11>\(last.formatted(dayFormat))</text>" }
        return svg + "</svg>"
    }

    /// One table per metric of the per-segment comparisons, under the exploratory warning.
    func segmentTables(_ breakdown: SegmentBreakdown, renderer: ReportRenderer) -> String {
        var html = "<h2>Segments by \(escape(breakdown.key))</h2><p class=warn>\(escape(breakdown.warning))</p>"
        for metric in renderer.orderedMetrics {
            let rows = breakdown.segments.flatMap { segment in segment.comparisons.filter { $0.metric == metric }.map { (segment.value, $0) } }
            guard !rows.isEmpty else { continue }
            html += "<h3>\(escape(metric))</h3><table><tr>"
            html += ([breakdown.key, "arm", "units"] + renderer.liftHeader).map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
            for (value, c) in rows {
                let cells = [value, c.arm, renderer.format(c.controlUnits + c.treatmentUnits, digits: 0)] + renderer.liftColumns(c, isControl: false)
                html += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>"
            }
            html += "</table>"
        }
        return html
    }
}
