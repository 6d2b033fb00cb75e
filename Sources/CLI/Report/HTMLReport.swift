import Foundation
import Reporting
import Stats

/// A self-contained HTML report (inline CSS and SVG, no scripts, no network): per metric a
/// forest plot of the relative lift with its interval, posterior densities for proportion
/// metrics, and the allocation history.
struct HTMLReport {
    var data: ExperimentReportData
    let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"]

    func render() -> String {
        let renderer = ReportRenderer(data: data, colour: false)
        var body = "<h1>\(escape(data.experiment)) <small>version \(data.version)</small></h1>"
        body += "<p>Control: <b>\(escape(data.controlArm))</b>. Generated \(data.generatedAt.formatted(.iso8601)).</p>"
        if let freshness = data.freshness { body += "<p class=\"freshness\">\(escape(freshness.sentence))</p>" }
        if let srm = data.report.sampleRatioMismatch {
            body +=
                srm.isMismatch
                ? "<p class=bad>Sample ratio mismatch (p = \(renderer.number(srm.pValue))): traffic does not match the allocation.</p>"
                : "<p>Sample ratio consistent with the allocations in force (p = \(renderer.number(srm.pValue))).</p>"
        }
        body += "<p>Analysis: <b>\(escape(data.analysisMethod.name))</b>. \(escape(data.analysisMethod.reason))</p>"
        if let cuped = data.cuped {
            body += "<p>" + renderer.cupedLines(cuped).map(escape).joined(separator: "<br>") + "</p>"
        }
        body += "<h2>Verdicts</h2><ul>"
        for verdict in data.report.verdicts {
            let cls = verdict.decision == .ship ? "good" : (verdict.decision == .keepRunning ? "" : "bad")
            body +=
                "<li><b>\(escape(verdict.arm))</b>: <span class=\"\(cls)\">\(verdict.decision.rawValue)</span>. \(escape(verdict.reasons.joined(separator: " ")))</li>"
        }
        body += "</ul>"
        for metric in renderer.orderedMetrics {
            body += "<h2>\(escape(metric))</h2>"
            body += table(metric, renderer: renderer)
            body += forestPlot(metric)
            for c in data.report.comparisons where c.metric == metric && !renderer.notes(c).isEmpty {
                body += "<p><b>\(escape(c.arm))</b>: \(escape(renderer.notes(c).joined(separator: " ")))</p>"
            }
            body += liftOverTimePlot(metric)
            if let densities = posteriorPlot(metric) { body += densities }
        }
        if let segments = data.segments { body += segmentTables(segments, renderer: renderer) }
        body += "<h2>Allocation over time</h2>" + allocationPlot()
        return """
            <!doctype html><html lang=en><head><meta charset=utf-8><title>\(escape(data.experiment)) report</title>
            <style>body{font:14px system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse}
            td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}
            .good{color:#1a7f37;font-weight:bold}.bad{color:#c62828;font-weight:bold}svg{display:block;margin:8px 0}small{color:#777}.warn{color:#8a5a00}</style>
            </head><body>\(body)</body></html>
            """
    }

    private func table(_ metric: String, renderer: ReportRenderer) -> String {
        var html = "<table><tr>" + (["arm", "units", renderer.meanLabel] + renderer.liftHeader).map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for summary in data.armSummaries[metric] ?? [] {
            let c = data.report.comparisons.first { $0.metric == metric && $0.arm == summary.arm }
            let cls = c.map { $0.isSignificant ? ($0.isImprovement ? "good" : "bad") : "" } ?? ""
            let cells =
                [summary.arm, renderer.format(summary.units, digits: 0), summary.mean.map { renderer.number($0) } ?? "–"]
                + renderer.liftColumns(c, isControl: summary.arm == data.controlArm)
            html += "<tr class=\"\(cls)\">" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    /// Relative lift per treatment arm with its interval, around a zero line.
    private func forestPlot(_ metric: String) -> String {
        let comparisons = data.report.comparisons.filter { $0.metric == metric }
        guard !comparisons.isEmpty else { return "" }
        let values = comparisons.flatMap { [$0.relativeLift.interval.lower, $0.relativeLift.interval.upper, $0.relativeLift.estimate] }.compactMap {
            $0
        }.filter(\.isFinite)
        let low = min(values.min() ?? -0.1, 0) * 1.1
        let high = max(values.max() ?? 0.1, 0) * 1.1
        let span = max(high - low, 1e-9)
        let width = 600.0
        let rowHeight = 28.0
        func x(_ v: Double) -> Double { 120 + (v - low) / span * (width - 140) }
        var svg =
            "<svg width=\(Int(width)) height=\(Int(rowHeight * Double(comparisons.count) + 30)) role=img aria-label=\"relative lift of \(escape(metric))\">"
        svg += "<line x1=\(x(0)) y1=0 x2=\(x(0)) y2=\(rowHeight * Double(comparisons.count)) stroke=#999 stroke-dasharray=4 />"
        for (index, c) in comparisons.enumerated() {
            let y = rowHeight * Double(index) + rowHeight / 2
            let colour = c.isSignificant ? (c.isImprovement ? "#1a7f37" : "#c62828") : "#555"
            let lower = c.relativeLift.interval.lower.map(x) ?? 120
            let upper = c.relativeLift.interval.upper.map(x) ?? width - 20
            svg += "<text x=0 y=\(y + 4)>\(escape(c.arm))</text>"
            svg += "<line x1=\(lower) y1=\(y) x2=\(upper) y2=\(y) stroke=\(colour) stroke-width=2 />"
            if c.relativeLift.estimate.isFinite {
                svg += "<circle cx=\(x(c.relativeLift.estimate)) cy=\(y) r=5 fill=\(colour) />"
            }
        }
        let axisY = rowHeight * Double(comparisons.count) + 20
        svg += "<text x=\(x(low)) y=\(axisY)>\(String(format: "%.1f%%", low * 100))</text>"
        // The zero label only where it does not overprint the end labels.
        if x(0) - x(low) > 50 && x(high) - x(0) > 60 { svg += "<text x=\(x(0) - 8) y=\(axisY)>0</text>" }
        svg += "<text x=\(x(high) - 40) y=\(axisY)>\(String(format: "%.1f%%", high * 100))</text></svg>"
        return svg
    }

    /// Beta posterior densities of each arm's rate, for proportion metrics.
    private func posteriorPlot(_ metric: String) -> String? {
        let summaries = (data.armSummaries[metric] ?? []).filter { $0.posteriorAlpha != nil && $0.units > 0 }
        guard !summaries.isEmpty else { return nil }
        let posteriors = summaries.map { BetaDistribution(alpha: $0.posteriorAlpha ?? 1, beta: $0.posteriorBeta ?? 1) }
        let means = summaries.compactMap(\.mean)
        let spread = posteriors.map(Self.standardDeviation).max() ?? 0.01
        let low = max(0, (means.min() ?? 0) - 5 * spread)
        let high = min(1, (means.max() ?? 1) + 5 * spread)
        let (width, height) = (600.0, 160.0)
        let points = 200
        let grid: [Double] = (0...points).map { low + (high - low) * Double($0) / Double(points) }
        let curves: [[Double]] = posteriors.map { posterior in grid.map { posterior.pdf($0) } }
        let peak: Double = curves.joined().filter { $0.isFinite }.max() ?? 1
        var svg =
            "<p>Posterior of the rate per arm (Beta, prior Beta(1,1))</p><svg width=\(Int(width)) height=\(Int(height + 20)) role=img aria-label=\"posterior densities\">"
        for (index, curve) in curves.enumerated() {
            let scale = max(high - low, 1e-12)
            var coordinates: [String] = []
            for (v, d) in zip(grid, curve) {
                let px: Double = (v - low) / scale * width
                let density: Double = d.isFinite ? d : 0
                let py: Double = height - density / peak * (height - 10)
                coordinates.append(String(format: "%.1f,%.1f", px, py))
            }
            let path = coordinates.joined(separator: " ")
            svg += "<polyline fill=none stroke=\(palette[index % palette.count]) stroke-width=2 points=\"\(path)\" />"
            svg += "<text x=\(10 + 110 * index) y=\(Int(height + 16)) fill=\(palette[index % palette.count])>\(escape(summaries[index].arm))</text>"
        }
        return svg + "</svg>"
    }

    /// Each arm's weight from one allocation to the next, as steps.
    private func allocationPlot() -> String {
        guard !data.allocations.isEmpty else { return "<p>No allocations recorded.</p>" }
        let (width, height) = (600.0, 160.0)
        let start = data.allocations.first?.effectiveFrom.timeIntervalSince1970 ?? 0
        let end = max(data.generatedAt.timeIntervalSince1970, (data.allocations.last?.effectiveFrom.timeIntervalSince1970 ?? start) + 1)
        func x(_ t: Double) -> Double { (t - start) / (end - start) * width }
        var svg = "<svg width=\(Int(width)) height=\(Int(height + 20)) role=img aria-label=\"allocation over time\">"
        for (index, arm) in data.arms.enumerated() {
            var points: [String] = []
            for (i, allocation) in data.allocations.enumerated() {
                let t0 = allocation.effectiveFrom.timeIntervalSince1970
                let t1 = i + 1 < data.allocations.count ? data.allocations[i + 1].effectiveFrom.timeIntervalSince1970 : end
                let y = height - (allocation.weights[arm] ?? 0) * (height - 10)
                points.append(String(format: "%.1f,%.1f %.1f,%.1f", x(t0), y, x(t1), y))
            }
            svg += "<polyline fill=none stroke=\(palette[index % palette.count]) stroke-width=2 points=\"\(points.joined(separator: " "))\" />"
            svg += "<text x=\(10 + 110 * index) y=\(Int(height + 16)) fill=\(palette[index % palette.count])>\(escape(arm))</text>"
        }
        svg += "</svg><table><tr><th>version</th><th>from</th><th>policy</th>" + data.arms.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for allocation in data.allocations {
            svg += "<tr><td>\(allocation.version)</td><td>\(allocation.effectiveFrom.formatted(.iso8601))</td><td>\(escape(allocation.policy))</td>"
            svg += data.arms.map { String(format: "<td>%.3f</td>", allocation.weights[$0] ?? 0) }.joined() + "</tr>"
        }
        return svg + "</table>"
    }

    private static func standardDeviation(_ p: BetaDistribution) -> Double {
        let total = p.alpha + p.beta
        let variance: Double = p.alpha * p.beta / (total * total * (total + 1))
        return variance.squareRoot()
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
