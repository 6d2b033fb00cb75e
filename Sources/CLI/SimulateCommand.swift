import ArgumentParser
import Foundation
import Sim
import Spec

/// `abctl simulate …`: seeded simulated data for trying abctl without real traffic.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate simulated shop data from a seed (see docs/simulator.md).",
        subcommands: [SimulateDataCommand.self]
    )
}

/// `abctl simulate data`: writes items.csv and interactions.csv for `abctl import`.
struct SimulateDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Write a simulated catalogue (items.csv) and history (interactions.csv) to a folder.",
        discussion: """
            The files load with `abctl import items DIR/items.csv` and `abctl import interactions DIR/interactions.csv`. \
            The same seed and options give the same files.
            """
    )

    @Option(help: "Number of catalogue items.") var items = 2000
    @Option(help: "Number of users.") var users = 5000
    @Option(help: "Days of history.") var days = 14
    @Option(help: "Seed of the simulated world.") var seed: UInt64 = 7
    @Option(help: "Mean sessions per user per day (sets the history's volume).") var sessionsPerDay = 0.2
    @Option(help: "The output folder (created if missing).") var out: String
    @Option(help: "First day of the history (YYYY-MM-DD, UTC); default: the history ends at today's midnight UTC.")
    var start: String?
    @Option(help: "Day (0-based from the start) on which cluster --drift-cluster gains appeal.") var driftDay: Int?
    @Option(help: "The cluster whose appeal shifts at the drift (0 = kitchen, 1 = garden, …; see docs/simulator.md).")
    var driftCluster = 0

    func validate() throws {
        guard items > 0, users > 0 else { throw ValidationError("--items and --users must be positive.") }
        guard days > 0 else { throw ValidationError("--days must be positive.") }
        guard sessionsPerDay > 0, sessionsPerDay.isFinite else { throw ValidationError("--sessions-per-day must be positive.") }
        if let start, Self.parseDay(start) == nil { throw ValidationError("--start \"\(start)\" is not a date like 2026-11-01.") }
        if let driftDay, !(0..<days).contains(driftDay) { throw ValidationError("--drift-day must be within 0..<\(days).") }
        guard driftCluster >= 0, driftCluster < WorldConfiguration().clusterCount else {
            throw ValidationError("--drift-cluster must be within 0..<\(WorldConfiguration().clusterCount).")
        }
    }

    func run() throws {
        print(try execute(today: Date()))
    }

    /// Generates and writes the files and returns the summary to print; `today` fixes the default start.
    func execute(today: Date) throws -> String {
        let first = start.flatMap(Self.parseDay) ?? Self.midnight(before: today) - Double(days) * 86_400
        var configuration = Self.worldConfiguration(seed: seed, items: items, users: users, sessionsPerDay: sessionsPerDay)
        if let driftDay { configuration.drift = Drift(time: first + Double(driftDay) * 86_400, cluster: driftCluster) }
        let world = World(configuration)
        let history = world.history(days: days, start: first)

        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var itemText = "item_id,title,body,category,brand,price_band\n"
        for item in world.items {
            itemText += SimulatedCSV.row([item.id, item.title, item.body, item.category, item.brand, item.priceBand])
        }
        var interactionText = "unit_id,item_id,event_type,value,occurred_at,session_id\n"
        interactionText.reserveCapacity(history.count * 64)
        for row in history {
            let value = row.value == 1 ? "1" : String(row.value)
            interactionText += SimulatedCSV.row([
                row.unitID, row.itemID, row.eventType.rawValue, value, SimulatedCSV.iso8601(row.occurredAt), row.sessionID,
            ])
        }
        let itemsURL = folder.appendingPathComponent("items.csv")
        let interactionsURL = folder.appendingPathComponent("interactions.csv")
        try Data(itemText.utf8).write(to: itemsURL)
        try Data(interactionText.utf8).write(to: interactionsURL)

        let counts = Dictionary(grouping: history, by: \.eventType).mapValues(\.count)
        let breakdown = SimulatedEventType.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return """
            wrote \(world.items.count) items to \(itemsURL.path)
            wrote \(history.count) interactions (\(breakdown)) from \(Set(history.map(\.unitID)).count) users \
            to \(interactionsURL.path)
            history: \(SimulatedCSV.iso8601(first)) for \(days) days, seed \(seed)\(driftDay.map { ", drift on day \($0) for cluster \(driftCluster)" } ?? "")
            """
    }

    /// The world these options describe (the demo builds the same world to send traffic).
    static func worldConfiguration(seed: UInt64, items: Int, users: Int, sessionsPerDay: Double) -> WorldConfiguration {
        var configuration = WorldConfiguration(seed: seed)
        configuration.itemCount = items
        configuration.userCount = users
        configuration.sessionsPerUserPerDay = sessionsPerDay
        return configuration
    }

    /// Midnight UTC of `YYYY-MM-DD`; nil for a day that does not exist (2026-02-30).
    static func parseDay(_ text: String) -> Date? {
        text.utf8.count == 10 ? RFC3339.date(from: text + "T00:00:00Z") : nil
    }

    static func midnight(before date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}

/// RFC 4180 rows and ISO 8601 UTC times, written without Foundation formatters (they are slow per row).
enum SimulatedCSV {
    /// One line: fields joined by commas, quoted (with doubled quotes) when they hold a comma, quote or newline.
    static func row(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\n"
    }

    /// `2026-11-29T05:50:32Z` (whole seconds, rounded down).
    static func iso8601(_ date: Date) -> String {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    /// Howard Hinnant's civil_from_days: days since 1970-01-01 to (year, month, day).
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
