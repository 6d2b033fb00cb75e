import Foundation
import Reporting

/// The allocation history as an inline SVG step chart: each arm's weight from one
/// allocation version to the next, up to `end` (the time the page was made).
struct AllocationChart {
    var arms: [String]
    var allocations: [ExperimentReportData.AllocationPoint]
    var end: Date
    /// The chart's accessible name.
    var label = "allocation over time"

    let width = 960.0
    let height = 240.0
    let left = 48.0
    let right = 16.0
    let top = 12.0
    let bottom = 40.0

    func render() -> String {
        guard let first = allocations.first else { return "<p class=\"muted\">No allocations recorded.</p>" }
        let start = first.effectiveFrom.timeIntervalSince1970
        let finish = max(end.timeIntervalSince1970, (allocations.last?.effectiveFrom.timeIntervalSince1970 ?? start) + 1)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ t: Double) -> Double { left + (t - start) / (finish - start) * plotWidth }
        func y(_ weight: Double) -> Double { top + (1 - weight) * plotHeight }

        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" aria-label=\"\(label)\">"
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(width - right)\" y2=\"\(y(tick))\" stroke=\"#eaeef2\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(Int(tick * 100))%</text>"
        }
        for (index, arm) in arms.enumerated() {
            var points: [String] = []
            for (i, allocation) in allocations.enumerated() {
                let t0 = allocation.effectiveFrom.timeIntervalSince1970
                let t1 = i + 1 < allocations.count ? allocations[i + 1].effectiveFrom.timeIntervalSince1970 : finish
                let weight = y(allocation.weights[arm] ?? 0)
                points.append(String(format: "%.1f,%.1f %.1f,%.1f", x(t0), weight, x(t1), weight))
            }
            let colour = DashboardHTML.palette[index % DashboardHTML.palette.count]
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            svg += "<rect x=\"\(left + 130 * Double(index))\" y=\"\(height - 14)\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + 130 * Double(index) + 14)\" y=\"\(height - 5)\">\(DashboardHTML.escape(arm))</text>"
        }
        let axis = top + plotHeight + 14
        svg += "<text x=\"\(left)\" y=\"\(axis)\">\(first.effectiveFrom.formatted(.iso8601))</text>"
        svg += "<text x=\"\(width - right)\" y=\"\(axis)\" text-anchor=\"end\">\(Date(timeIntervalSince1970: finish).formatted(.iso8601))</text>"
        return svg + "</svg>" + table()
    }

    /// Every allocation version with its weights, newest first.
    private func table() -> String {
        var html = "<table><thead><tr><th>version</th><th>from (UTC)</th><th>policy</th>"
        html += arms.map { "<th>\(DashboardHTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for allocation in allocations.reversed() {
            html += "<tr><td>\(allocation.version)</td><td>\(allocation.effectiveFrom.formatted(.iso8601))</td>"
            html += "<td>\(DashboardHTML.escape(allocation.policy))</td>"
            html += arms.map { String(format: "<td>%.1f%%</td>", (allocation.weights[$0] ?? 0) * 100) }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }
}
