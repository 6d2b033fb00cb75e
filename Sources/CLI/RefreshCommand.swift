import ArgumentParser
import Foundation
import Storage

/// `abctl refresh`: brings the maintained aggregates (sql/0015) up to date, for deployments
/// without `abctl serve` (which refreshes on a timer). Run it from cron, or with --watch.
struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Bring the maintained aggregates that reports, dashboards and the allocator read up to date.",
        discussion: """
            Reads only what was written since the last refresh (by any writer: the server, a COPY, \
            a backfill), plus the impressions the allocator's cut-off passed. Of several refreshers, \
            one runs at a time (a PostgreSQL advisory lock); the others skip.
            """
    )

    @Flag(help: "Keep running: refresh again every --interval seconds until interrupted.")
    var watch = false

    @Option(help: "With --watch: seconds between refreshes.")
    var interval: Double = 10

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard interval > 0 else { throw ValidationError("--interval must be a positive number of seconds") }
    }

    func run() async throws {
        let connection = try database.connect()
        repeat {
            let started = Date()
            if let refreshed = try AggregateRefresher(connection: connection).refresh() {
                let impressions = refreshed.reduce(0) { $0 + $1.impressions }
                let experiments = Set(refreshed.map(\.experiment)).count
                let seconds = Date().timeIntervalSince(started)
                print(
                    "refreshed \(refreshed.count) metric definitions of \(experiments) experiments: \(impressions) impressions recomputed in \(String(format: "%.3f", seconds)) s"
                )
            } else {
                print("another session is refreshing the aggregates; nothing done")
            }
            if watch { try await Task.sleep(for: .seconds(interval)) }
        } while watch
    }
}
