import Foundation
import Storage

/// GET /dashboard: every experiment's latest version with its status, linked to its page.
struct ExperimentListPage {
    var experiments: [ExperimentStore.Summary]

    func render() -> String {
        var body = "<h1>Experiments</h1><section>"
        if experiments.isEmpty {
            body += "<p class=\"muted\">No experiments yet. Apply a spec with <code>abctl apply FILE</code>.</p>"
        } else {
            body += "<table><thead><tr><th>experiment</th><th>version</th><th>status</th><th>arms</th><th>updated (UTC)</th></tr></thead><tbody>"
            for experiment in experiments {
                let name = DashboardHTML.escape(experiment.name)
                body += "<tr><td><a href=\"/dashboard/\(DashboardHTML.escape(DashboardHTML.pathSegment(experiment.name)))\">\(name)</a></td>"
                body += "<td>\(experiment.latestVersion)</td><td><span class=\"badge\">\(DashboardHTML.escape(experiment.status))</span></td>"
                body += "<td>\(experiment.arms)</td><td>\(experiment.updatedAt.formatted(.iso8601))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "</section>"
        return DashboardHTML.page(title: "abctl experiments", body: body)
    }
}
