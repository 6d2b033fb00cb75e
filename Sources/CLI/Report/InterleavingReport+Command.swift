import Foundation
import PostgresClient
import Reporting

extension InterleavingReport {
    /// `abctl report` for an interleaving experiment: renders the report in the requested
    /// format to standard output or `output`. False (nothing done) for any other experiment.
    static func run(_ command: ReportCommand, connection: PostgresConnection) throws -> Bool {
        let report = try load(
            name: command.name,
            connection: connection,
            since: command.since.flatMap(ReportCommand.parseTime),
            until: command.until.flatMap(ReportCommand.parseTime)
        )
        guard let report else { return false }
        if command.metric != nil {
            throw ReportError("--metric does not apply to an interleaving experiment, whose report is the arms' preference; remove it")
        }
        let text: String
        switch command.format {
        case .table: text = report.table()
        case .json: text = try report.json()
        case .csv: text = report.csv()
        case .markdown: text = report.markdown()
        case .html: throw ReportError("--format html is not available for an interleaving experiment; use table, json, csv or markdown")
        }
        if let output = command.output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            print("report written to \(output)")
        } else {
            print(text)
        }
        return true
    }
}
