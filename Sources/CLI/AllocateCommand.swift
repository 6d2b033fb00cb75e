import ArgumentParser
import Foundation
import Logging
import PostgresClient
import Spec
import Storage

/// `abctl allocate NAME|--all`: one bandit update from logged data (or one every interval
/// with `--watch`), printing each arm's old and new weight with the statistics behind it.
struct AllocateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Move a bandit experiment's traffic: compute new arm weights from logged feedback and store them.",
        discussion: """
            Only impressions older than the attribution window count, so every counted impression \
            has had its whole window to collect feedback. Each update is a new allocation row \
            (history is kept) and servers listening on abctl_experiments reload it. \
            --watch repeats the update every spec update_interval (or --interval) until interrupted.
            """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "The experiment's name.")
    var name: String?

    @Flag(help: "Update every running bandit experiment.")
    var all = false

    @Flag(help: "Compute and print the update without storing it.")
    var dryRun = false

    @Flag(help: "Allocate even when the experiment is not running.")
    var force = false

    @Flag(help: "Keep running: update again every update_interval (or --interval) until interrupted.")
    var watch = false

    @Option(help: "With --watch: time between updates, e.g. 15m, instead of each spec's update_interval.")
    var interval: String?

    @Option(help: "Output: table, or json (one JSON object per update, one per line).")
    var format: Format = .table

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (name != nil) != all else { throw ValidationError("Give an experiment name or --all, not both and not neither.") }
        if watch && dryRun { throw ValidationError("--dry-run writes nothing, so --watch would repeat the same update; use one of them.") }
        if interval != nil && !watch { throw ValidationError("--interval applies only with --watch.") }
        if let interval, (SpecDuration(parsing: interval)?.seconds ?? 0) < 1 {
            throw ValidationError("--interval must be a duration such as 30s, 15m or 1h, got \(interval).")
        }
    }

    func run() async throws {
        let connection = try database.connect()
        let updater = AllocationUpdater(connection: connection)
        let names = try all ? updater.runningBandits().map(\.experiment) : [name].compactMap { $0 }
        if all && names.isEmpty { Console.note("No running bandit experiment to allocate.") }
        var failures = 0
        for name in names {
            do {
                print(try render(updater.update(name, now: Date(), dryRun: dryRun, force: force, by: CurrentUser.name)))
            } catch let error as AllocationError where all {
                Console.note("\(name): \(error)")
                failures += 1
            }
        }
        if watch {
            fflush(nil)
            try await watchLoop()
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Runs the scheduler until the process is interrupted, printing every update it makes.
    func watchLoop() async throws {
        let conninfo = try DatabaseLocator.resolve(flag: database.databaseURL).conninfo
        let override = interval.flatMap(SpecDuration.init(parsing:)).map { Double($0.seconds) }
        let scheduler = AllocationScheduler(
            pool: PostgresConnectionPool(conninfo: conninfo, size: 1),
            experiments: all ? nil : name.map { [$0] },
            interval: override,
            pollInterval: min(30, override ?? 30),
            logger: Logger(label: "abctl.allocate", factory: { label in StreamLogHandler.standardError(label: label) })
        )
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(min(30, override ?? 30)))
            for update in await scheduler.runOnce() { print(try render(update)) }
            fflush(nil)  // a pipe or file sees each update as it happens
        }
    }

    /// One update as a table or a JSON line.
    func render(_ update: AllocationUpdate) throws -> String {
        let s = update.statistics
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: try encoder.encode(JSONLine(update)), as: UTF8.self)
        case .table:
            let until = ISO8601DateFormatter().string(from: s.dataUntil)
            let cutoff =
                s.dataSince.map { "from \(ISO8601DateFormatter().string(from: $0)) (window \(SpecDuration(seconds: s.windowSeconds ?? 0))) " } ?? ""
            let verb = update.isDryRun ? "would write" : "wrote"
            var lines = [
                "\(update.experiment): \(verb) allocation \(update.version) (\(s.policy) on \(s.reward), \(s.rewardModel); impressions \(cutoff)before \(until))"
            ]
            if s.inBurnIn { lines.append("  burn-in: some arm has fewer units than burn_in, so the initial weights hold") }
            let width = max(3, update.arms.map(\.count).max() ?? 0)
            lines.append(
                "  " + "arm".padding(toLength: width, withPad: " ", startingAt: 0) + "       units        mean    variance  policy     old     new"
            )
            for arm in update.arms {
                guard let a = s.arms[arm] else { continue }
                let old = a.previousWeight.map { String(format: "%7.4f", $0) } ?? "      -"
                let mean = a.mean.map { String(format: "%10.5f", $0) } ?? "         -"
                lines.append(
                    "  " + arm.padding(toLength: width, withPad: " ", startingAt: 0)
                        + String(format: " %11.0f  ", a.n) + mean + String(format: "  %10.5f  %6.4f  ", a.variance, a.policyWeight) + old
                        + String(format: "  %6.4f", a.weight)
                )
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The JSON form of one update.
    struct JSONLine: Encodable {
        var experiment: String
        var version: Int64
        var previousVersion: Int64?
        var dryRun: Bool
        var statistics: AllocationStatistics

        init(_ update: AllocationUpdate) {
            experiment = update.experiment
            version = update.version
            previousVersion = update.previousVersion
            dryRun = update.isDryRun
            statistics = update.statistics
        }

        enum CodingKeys: String, CodingKey {
            case experiment, version, statistics
            case previousVersion = "previous_version"
            case dryRun = "dry_run"
        }
    }
}
