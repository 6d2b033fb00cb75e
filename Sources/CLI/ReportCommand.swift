import ArgumentParser
import Foundation
import PostgresClient
import Reporting
import Spec
import Storage

/// `abctl report NAME`: ranking metrics, conversion and their statistics per arm, from the
/// impressions and feedback logged in PostgreSQL, ending in a verdict per arm.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report an experiment's metrics per arm with intervals, tests and a verdict per arm."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, markdown, html
    }

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "Only impressions at or after this time (ISO 8601).")
    var since: String?

    @Option(help: "Only impressions before this time (ISO 8601).")
    var until: String?

    @Option(help: "Only this metric (as named in the spec, e.g. ndcg@10).")
    var metric: String?

    @Option(help: "Break results down by this key of the impressions' context (e.g. device); exploratory.")
    var segment: String?

    @Option(help: "Days before the experiment's start that form CUPED's pre-period.")
    var prePeriodDays: Double = 14

    @Option(help: "table, json, csv, markdown or html.")
    var format: Format = .table

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(help: "Recompute from the raw logs (every impression and feedback event) instead of the maintained aggregates, as an audit.")
    var full = false

    @Flag(help: "Read the maintained aggregates as they are, without refreshing them first (the dashboard's view).")
    var noRefresh = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, Self.parseTime(value) == nil {
                throw ValidationError("\(flag) \(value) is not a time; use ISO 8601 such as 2026-11-29T00:00:00Z")
            }
        }
        if let segment, segment.isEmpty {
            throw ValidationError("--segment needs a context key such as device")
        }
        if !(prePeriodDays > 0) {
            throw ValidationError("--pre-period-days must be a positive number of days")
        }
        if format == .html && output == nil {
            throw ValidationError("--format html needs --output FILE")
        }
    }

    func run() throws {
        let connection = try database.connect()
        if try InterleavingReport.run(self, connection: connection) { return }
        if try ContextualReport.run(self, connection: connection) { return }
        if !full && !noRefresh {
            // Incremental: what arrived since the last refresh. A user who may only read
            // gets the aggregates as the server last refreshed them (the report says when).
            do {
                try AggregateRefresher(connection: connection).refresh()
            } catch let error as PostgresError {
                if database.verbose { Console.note("aggregates not refreshed: \(error)") }
            }
        }
        let data = try ExperimentReportData.load(
            name: name,
            connection: connection,
            request: ExperimentReportData.Request(
                since: since.flatMap(Self.parseTime),
                until: until.flatMap(Self.parseTime),
                onlyMetric: metric,
                segment: segment,
                prePeriod: prePeriodDays * 86_400,
                full: full
            )
        )
        let renderer = ReportRenderer(data: data, colour: output == nil && isatty(STDOUT_FILENO) == 1)
        let text: String
        switch format {
        case .table: text = renderer.table()
        case .json: text = try renderer.json()
        case .csv: text = renderer.csv()
        case .markdown: text = renderer.markdown()
        case .html: text = HTMLReport(data: data).render()
        }
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            print("report written to \(output)")
        } else {
            print(text)
        }
    }

    /// `--since`/`--until`, read as strictly as an event's timestamp (no February 30).
    static func parseTime(_ text: String) -> Date? {
        RFC3339.date(from: text)
    }
}
