import Foundation
import Stats

/// The page shell and formatting shared by the dashboard's pages: self-contained HTML with
/// inline CSS and SVG, no scripts and no external resources (not even a favicon request).
enum DashboardHTML {
    /// Eight distinguishable colours for arms, in arm order.
    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"]

    /// A whole page around `body`.
    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>\(escape(title))</title>
        <style>\(css)</style>
        </head><body>
        <header><a href="/dashboard">abctl dashboard</a></header>
        <main>\(body)</main>
        </body></html>
        """
    }

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
        header{background:#24292f;padding:10px 24px}header a{color:#fff;font-weight:600;text-decoration:none}
        main{max-width:1100px;margin:0 auto;padding:16px 24px}
        section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:12px 0}
        h1{font-size:22px;margin:8px 0}h2{font-size:16px;margin:4px 0 8px}small{color:#59636e}
        table{border-collapse:collapse;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #eaeef2;text-align:right;white-space:nowrap}
        th:first-child,td:first-child{text-align:left}th{color:#59636e;font-weight:600}
        .good{color:#1a7f37;font-weight:600}.bad{color:#c62828;font-weight:600}.muted{color:#59636e}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#eaeef2;font-size:12px}
        svg text{font:12px system-ui,sans-serif;fill:#1f2328}
        """

    /// Text made safe for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// A path segment made safe for a URL (experiment names are free text).
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }

    /// A metric value as `abctl report` prints it: 4 decimals, scientific below 0.001.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value != 0 && abs(value) < 0.001 { return String(format: "%.2e", value) }
        return String(format: "%.4f", value)
    }

    /// A signed percentage as the report prints lifts, e.g. +12.34%.
    static func percent(_ value: Double) -> String {
        value.isFinite ? String(format: "%+.2f%%", value * 100).replacingOccurrences(of: "+-", with: "-") : "–"
    }

    /// A probability as a percentage, e.g. 97.50%.
    static func probability(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2f%%", value * 100) : "–"
    }

    /// An interval as `[lower, upper]`, in percent for lifts; a missing bound is unbounded.
    static func interval(_ interval: Interval, percent asPercent: Bool) -> String {
        func bound(_ value: Double?, infinity: String) -> String {
            guard let value else { return infinity }
            return asPercent ? String(format: "%.2f%%", value * 100) : number(value)
        }
        return "[\(bound(interval.lower, infinity: "−∞")), \(bound(interval.upper, infinity: "∞"))]"
    }

    /// A verdict in the words `abctl report` uses.
    static func words(_ decision: VerdictDecision) -> String {
        switch decision {
        case .ship: "ship"
        case .stopForHarm: "stop for harm"
        case .keepRunning: "keep running"
        case .checkAssignment: "check assignment"
        }
    }
}
