import ArgumentParser
import Foundation
import Storage

/// `abctl list`: every experiment's latest version and status.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List experiments with their latest version and status.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let summaries = try ExperimentStore(connection: try database.connect()).list()
        guard !summaries.isEmpty else {
            print("No experiments yet; store one with `abctl apply FILE`.")
            return
        }
        let rows = summaries.map { [$0.name, "v\($0.latestVersion)", $0.status, "\($0.arms)", $0.updatedAt.formatted(.iso8601)] }
        print(TextTable.render(header: ["experiment", "version", "status", "arms", "updated"], rows: rows))
    }
}

/// Plain aligned columns for terminal tables.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n")
    }
}
