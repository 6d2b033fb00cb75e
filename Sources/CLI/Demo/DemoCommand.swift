import ArgumentParser
import Foundation
import Logging
import PostgresClient
import Server
import Sim
import Storage

/// `abctl demo`: the whole loop in one command, on a database of its own.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop on simulated data: history, training, a bandit experiment with live traffic, and the report.",
        discussion: """
            Uses the configured PostgreSQL (else starts the local cluster) and creates a database of its own, \
            <database>_demo, afresh on each run. Files (spec, models, HTML report) go to --out.
            """
    )

    @Option(help: "Seed of the simulated world and of the bandit.") var seed: UInt64 = 7
    @Option(help: "Catalogue items.") var items = 1000
    @Option(help: "Simulated users.") var users = 3000
    @Option(help: "Days of history to train on.") var days = 14
    @Option(help: "Hours of live traffic; the bandit reallocates after each.") var hours = 12
    @Option(help: "Simulated visitors per second.") var rate = 0.8
    @Option(
        help: """
            First day of the history (YYYY-MM-DD, UTC); the traffic starts at midnight UTC --days later and lasts \
            --hours. Default: --days before midnight UTC of the day --hours ago, so the traffic ends before now \
            (up to a day before it). A fixed day makes the run reproducible.
            """
    )
    var start: String?
    @Flag(
        help:
            "Halfway through the traffic, a trend toward one category makes users forget most of their old tastes, so a different arm becomes best (see docs/simulator.md)."
    )
    var drift = false
    @Option(help: "Folder for the spec, models and HTML report.") var out = ".abctl/demo"
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard items > 10, users > 10 else { throw ValidationError("--items and --users must be above 10.") }
        guard days >= 1, hours >= 2 else { throw ValidationError("--days must be at least 1 and --hours at least 2.") }
        guard rate > 0, rate <= 50 else { throw ValidationError("--rate must be in (0, 50] visitors per second.") }
        if let start, SimulateDataCommand.parseDay(start) == nil { throw ValidationError("--start \"\(start)\" is not a date like 2026-11-01.") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let began = clock.now
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let step = DemoSteps()

        step.begin("PostgreSQL")
        let target = try DatabaseLocator.resolve(flag: database.databaseURL)
        let url = try DemoDatabase.recreate(from: target.conninfo)
        try Migrator(migrations: try Migration.resolve(explicit: nil)).migrate(
            try PostgresConnection(conninfo: url)
        )
        let urlFile = folder.appendingPathComponent("database-url")
        try Data(url.utf8).write(to: urlFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: urlFile.path)
        step.done("fresh database \(ConnectionSettings.parse(url)?["dbname"] ?? "demo") (\(target.summary)), migrated")

        // The history ends where the traffic starts, and the traffic ends before now.
        let now = Date().timeIntervalSince1970
        let firstDay = ((now - Double(hours) * 3600) / 86_400).rounded(.down) - Double(days)
        let historyStart = start.flatMap(SimulateDataCommand.parseDay) ?? Date(timeIntervalSince1970: firstDay * 86_400)
        let trafficStart = historyStart.addingTimeInterval(Double(days) * 86_400)

        step.begin("simulated shop")
        let simulate = try SimulateDataCommand.parse([
            "--items", "\(items)", "--users", "\(users)", "--days", "\(days)", "--seed", "\(seed)",
            "--sessions-per-day", "0.3", "--start", SimulatedCSV.iso8601(historyStart).prefix(10).description,
            "--out", folder.appendingPathComponent("data").path,
        ])
        _ = try simulate.execute(today: Date())
        let connection = try PostgresConnection(conninfo: url)
        let imported = try ["items", "interactions"].map { kind -> Int in
            let importer = Importer(kind: try Importer.Kind(rawValue: kind).unwrap(kind), skipBadRows: false) { _, _ in }
            return try importer.run(path: folder.appendingPathComponent("data/\(kind).csv").path, connection: connection).stored
        }
        step.done("\(imported[0]) items, \(imported[1]) interactions over \(days) days")

        step.begin("experiment")
        let specFile = folder.appendingPathComponent("\(DemoSpec.name).yaml")
        try Data(DemoSpec.yaml(seed: seed, window: drift ? DemoDrift.window(hours: hours) : nil).utf8).write(to: specFile)
        // The shop's own orders table, which the spec's revenue guardrail reads (a SQL source).
        try connection.executeScript(DemoShop.schema)
        try ApplyCommand.parse([specFile.path, "--database-url", url]).run()
        // The traffic runs on simulated time, and so do the reallocations (`stampedAtNow`):
        // the first allocation takes effect when the simulated traffic starts, so that the
        // report's allocation history lines up with its traffic.
        try connection.query(
            "UPDATE allocations SET effective_from = \(trafficStart) WHERE experiment = \(DemoSpec.name) AND allocation_version = 1"
        )
        step.done("applied \(specFile.path)")

        step.begin("training")
        let models = folder.appendingPathComponent("models")
        try TrainCommand.parse([specFile.path, "--database-url", url, "--models", models.path]).run()
        step.done("models in \(models.path)")

        step.begin("live traffic")
        var configuration = ServerConfiguration(conninfo: url, spoolDirectory: folder.appendingPathComponent("spool"))
        configuration.models = ModelDirectory(explicit: models.path)
        var logger = Logger(label: "abctl.demo")
        logger.logLevel = .warning
        let core = try await DecisionCore(configuration: configuration, logger: logger)
        var worldConfiguration = SimulateDataCommand.worldConfiguration(seed: seed, items: items, users: users, sessionsPerDay: 0.3)
        if drift { worldConfiguration.drift = DemoDrift.drift(trafficStart: trafficStart, hours: hours) }
        var traffic = try DemoTraffic(
            world: World(worldConfiguration),
            core: core,
            conninfo: url,
            experiment: DemoSpec.name,
            start: trafficStart,
            hours: hours,
            perSecond: rate,
            seed: seed
        )
        print("")
        try await traffic.run { period in
            let weights = period.weights.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }
            print(
                "  \(SimulatedCSV.iso8601(period.end).dropLast(4))  \(period.decisions) decisions, \(period.events) events → weights \(weights.joined(separator: ", "))"
            )
        }
        step.done("\(traffic.periods.reduce(0) { $0 + $1.decisions }) decisions, \(traffic.periods.count) reallocations")

        print("")
        try ReportCommand.parse([DemoSpec.name, "--database-url", url]).run()
        let html = folder.appendingPathComponent("report.html")
        try ReportCommand.parse([DemoSpec.name, "--database-url", url, "--format", "html", "--output", html.path]).run()

        print("")
        print(DemoVerdict(truth: traffic.truth, periods: traffic.periods).text)
        let seconds = (clock.now - began).components.seconds
        print("HTML report: \(html.path)")
        print("Done in \(seconds) s. Explore: abctl report \(DemoSpec.name) --database-url \"$(cat \(urlFile.path))\"")
    }
}

extension Optional {
    /// The value, or a ValidationError naming what was missing.
    fileprivate func unwrap(_ what: String) throws -> Wrapped {
        guard let value = self else { throw ValidationError("Unknown \(what)") }
        return value
    }
}
