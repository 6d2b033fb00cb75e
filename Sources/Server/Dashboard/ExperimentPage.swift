import Foundation
import Reporting
import Stats

/// GET /dashboard/NAME: verdicts, the sample-ratio check, per metric each arm's mean with its
/// interval and its lift over control, and the allocation history chart.
struct ExperimentPage {
    var data: ExperimentReportData
    /// For a contextual experiment, each arm's observed share of decisions per hour; else empty.
    var trafficShare: [ExperimentReportData.AllocationPoint] = []

    func render() -> String {
        let name = DashboardHTML.escape(data.experiment)
        var body = "<h1>\(name) <small>version \(data.version) · \(DashboardHTML.escape(data.status))</small></h1>"
        body += "<p class=\"muted\">Control: <b>\(DashboardHTML.escape(data.controlArm))</b>. "
        body += "Generated \(data.generatedAt.formatted(.iso8601)).</p>"
        body += "<p>Analysis: <b>\(DashboardHTML.escape(data.analysisMethod.name))</b>. \(DashboardHTML.escape(data.analysisMethod.reason))</p>"
        if let freshness = data.freshness { body += "<p class=\"freshness\">\(DashboardHTML.escape(freshness.sentence))</p>" }
        body += verdicts() + sampleRatio()
        for metric in data.metrics {
            body += "<section><h2>\(DashboardHTML.escape(metric))</h2>\(table(metric))\(messages(metric))</section>"
        }
        body += "<section><h2>Allocation over time</h2>"
        body += AllocationChart(arms: data.arms, allocations: data.allocations, end: data.generatedAt).render() + "</section>"
        if !trafficShare.isEmpty {
            body += "<section><h2>Traffic share over time</h2><p class=\"muted\">A contextual policy chooses each request's arm "
            body += "from its context, so its traffic follows the contexts it sees: each arm's share of the decisions it made, "
            body += "per hour (the version column is the hour's latest model version).</p>"
            body += AllocationChart(arms: data.arms, allocations: trafficShare, end: data.generatedAt, label: "traffic share over time").render()
            body += "</section>"
        }
        return DashboardHTML.page(title: "\(data.experiment) · abctl dashboard", body: body)
    }

    private func verdicts() -> String {
        var html = "<section><h2>Verdicts</h2>"
        if data.report.verdicts.isEmpty {
            html += "<p class=\"muted\">No verdict yet: the primary metric has no comparison (no traffic on control or a treatment).</p>"
        }
        html += "<ul>"
        for verdict in data.report.verdicts {
            let style = verdict.decision == .ship ? "good" : (verdict.decision == .keepRunning ? "" : "bad")
            html += "<li><b>\(DashboardHTML.escape(verdict.arm))</b>: <span class=\"\(style)\">\(DashboardHTML.words(verdict.decision))</span>. "
            html += "\(DashboardHTML.escape(verdict.reasons.joined(separator: " ")))</li>"
        }
        return html + "</ul></section>"
    }

    private func sampleRatio() -> String {
        guard let srm = data.report.sampleRatioMismatch else {
            return "<section><h2>Sample ratio</h2><p class=\"muted\">No units yet.</p></section>"
        }
        let verdict =
            srm.isMismatch
            ? "<span class=\"bad\">mismatch</span>: traffic does not match the allocations in force; do not trust the results."
            : "<span class=\"good\">ok</span>: consistent with the allocations in force."
        var html = "<section><h2>Sample ratio</h2><p>\(verdict) χ² = \(DashboardHTML.number(srm.chiSquare)), "
        html += "p = \(DashboardHTML.number(srm.pValue))\(srm.message.map { " " + DashboardHTML.escape($0) } ?? "")</p>"
        html += "<table><thead><tr><th>arm</th><th>units</th><th>expected</th></tr></thead><tbody>"
        for (index, arm) in data.arms.enumerated() where index < srm.observed.count {
            html += "<tr><td>\(DashboardHTML.escape(arm))</td><td>\(Int(srm.observed[index]))</td>"
            html += "<td>\(String(format: "%.1f", srm.expected[index]))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    private func table(_ metric: String) -> String {
        let level = "\(Int((data.confidenceLevel * 100).rounded()))%"
        let mean = data.analysisMethod.isStratified ? "mean (post-stratified)" : "mean"
        var html = "<table><thead><tr><th>arm</th><th>units</th><th>\(mean)</th><th>\(level) CI</th><th>relative lift</th>"
        html += "<th>lift \(level) CI</th><th>p</th><th>always-valid CI</th><th>always-valid p</th><th>P(beat control)</th></tr></thead><tbody>"
        for summary in data.armSummaries[metric] ?? [] {
            let comparison = data.report.comparisons.first { $0.metric == metric && $0.arm == summary.arm }
            let style = comparison.map { $0.isSignificant ? ($0.isImprovement ? "good" : "bad") : "" } ?? ""
            html += "<tr class=\"\(style)\"><td>\(DashboardHTML.escape(summary.arm))</td><td>\(Int(summary.units))</td>"
            html += "<td>\(summary.mean.map(DashboardHTML.number) ?? "–")</td>"
            html += "<td>\(summary.interval.map { DashboardHTML.interval($0, percent: false) } ?? "–")</td>"
            if let comparison {
                html += "<td>\(DashboardHTML.percent(comparison.relativeLift.estimate))</td>"
                html += "<td>\(DashboardHTML.interval(comparison.relativeLift.interval, percent: true))</td>"
                html += "<td>\(DashboardHTML.number(comparison.relativePValue ?? comparison.pValue))</td>"
                html += "<td>\(DashboardHTML.interval(comparison.relativeLift.sequentialInterval, percent: true))</td>"
                html += "<td>\(DashboardHTML.number(comparison.relativeSequentialPValue ?? comparison.sequentialPValue))</td>"
                html += "<td>\(DashboardHTML.probability(comparison.chanceToBeatControl))</td>"
            } else {
                html += "<td class=\"muted\">\(summary.arm == data.controlArm ? "control" : "–")</td><td></td><td></td><td></td><td></td><td></td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    /// Notes of the statistics layer (degenerate data, tests that could not run).
    private func messages(_ metric: String) -> String {
        let notes = data.report.comparisons.filter { $0.metric == metric && !$0.messages.isEmpty }
        guard !notes.isEmpty else { return "" }
        return "<ul class=\"muted\">"
            + notes.map { "<li>\(DashboardHTML.escape($0.arm)): \(DashboardHTML.escape($0.messages.joined(separator: " ")))</li>" }.joined() + "</ul>"
    }
}
