import Foundation

/// Text formats for an evaluation report.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned columns with four decimals, for people.
    case table
    /// One object with the mean and optionally every query, full precision.
    case json
    /// A header and one row per query plus `all`, full precision.
    case csv
}

/// Renders a `TrecEvaluation` as an aligned table, JSON or CSV. The mean row is labelled `all`,
/// as trec_eval labels it.
public struct TrecEvaluationReport: Sendable {
    /// The evaluation to render.
    public let evaluation: TrecEvaluation
    /// Whether every query gets a row, not only the mean.
    public let includesPerQuery: Bool

    public init(evaluation: TrecEvaluation, includesPerQuery: Bool) {
        self.evaluation = evaluation
        self.includesPerQuery = includesPerQuery
    }

    /// The report as text in `format`, ending with a newline.
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .table: table()
        case .json: json()
        case .csv: csv()
        }
    }

    private var names: [String] { evaluation.metrics.map(\.description) }

    private var rows: [(label: String, values: [Double])] {
        let perQuery = includesPerQuery ? evaluation.perQuery.map { ($0.query, $0.values) } : []
        return perQuery + [("all", evaluation.means)]
    }

    private func table() -> String {
        let header = ["query"] + names
        let body = rows.map { [$0.label] + $0.values.map { String(format: "%.4f", $0) } }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 0
                    ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let footer = "\(evaluation.perQuery.count) queries evaluated\n"
        return ([line(header)] + body.map(line)).joined(separator: "\n") + "\n" + footer
    }

    private func csv() -> String {
        let lines =
            [(["query"] + names).map(Self.csvField).joined(separator: ",")]
            + rows.map { ([Self.csvField($0.label)] + $0.values.map { "\($0)" }).joined(separator: ",") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func json() -> String {
        func object(_ values: [Double]) -> String {
            "{" + zip(names, values).map { "\(Self.jsonString($0)): \($1)" }.joined(separator: ", ") + "}"
        }
        var fields = ["\"queries\": \(evaluation.perQuery.count)", "\"mean\": \(object(evaluation.means))"]
        if includesPerQuery {
            let items = evaluation.perQuery.map { "    {\"query\": \(Self.jsonString($0.query)), \"values\": \(object($0.values))}" }
            fields.append("\"perQuery\": [\n" + items.joined(separator: ",\n") + "\n  ]")
        }
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
    }

    private static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
