import ArgumentParser
import Foundation
import Storage

/// `abctl import items|interactions|outcomes FILE`: loads the catalogue, training interactions or outcome events.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load items, interactions or outcome events from CSV, TSV or JSON Lines with COPY.",
        discussion: """
            items: columns item_id (required), title, body (or text), attributes (a JSON object, in JSON Lines); \
            any other column becomes a string attribute. Re-importing an item updates it.
            interactions: unit_id, item_id, event_type (view, click, add_to_cart, purchase, rating, like, share), \
            value (default 1), occurred_at (ISO 8601 or seconds since 1970), session_id (optional).
            outcomes: event_id, unit_id, type (a name such as order or session_start), value (optional), \
            timestamp (ISO 8601 or seconds since 1970); an event already stored (same event_id and timestamp) is not stored again.
            A bad row stops the import and nothing is stored; --skip-bad-rows loads the good rows and counts the rest.
            """
    )

    @Argument(help: "What to import: items, interactions or outcomes.")
    var kind: Importer.Kind

    @Argument(help: "The file: .csv, .tsv or .jsonl.")
    var file: String

    @Flag(help: "Load the good rows and report how many bad ones were skipped.")
    var skipBadRows = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let connection = try database.connect()
        let bar = ProgressBar(label: "importing \(kind.rawValue)")
        let importer = Importer(kind: kind, skipBadRows: skipBadRows) { fraction, rows in
            bar.update(fraction: fraction, count: rows, unit: "rows")
        }
        let report: Importer.Report
        do {
            report = try importer.run(path: file, connection: connection)
            bar.finish()
        } catch {
            bar.finish()
            throw error
        }
        print("imported \(report.stored) \(kind.rawValue) from \(file)")
        if report.duplicates > 0 { print("\(report.duplicates) were already stored (same event_id and timestamp) and were not stored again") }
        if report.skipped > 0 {
            print("skipped \(report.skipped) bad rows:")
            for error in report.skippedExamples { print("  \(error)") }
            if report.skipped > report.skippedExamples.count {
                print("  … and \(report.skipped - report.skippedExamples.count) more")
            }
        }
    }
}

extension Importer.Kind: ExpressibleByArgument {}
