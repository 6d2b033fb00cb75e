import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Server
import Storage

/// `abctl serve`: the decision service over HTTP, until SIGINT or SIGTERM (then buffers
/// are flushed before exit). Prints the bound address on standard output when listening.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve decisions and take feedback events over HTTP (see docs/operations.md for the durability guarantees)."
    )

    @Option(help: "Host to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one (the address is printed).")
    var port = 8080

    @Option(help: "Folder of the local event spool (default: $ABCTL_HOME/spool, else ./.abctl/spool).")
    var spool: String?

    @Option(
        help:
            "Folder of the arms' models saved by `abctl train` (default: $ABCTL_MODELS, else ./.abctl/models); arms without one are fitted at start from PostgreSQL."
    )
    var models: String?

    @Flag(
        inversion: .prefixedNo,
        help:
            "Require an API key (Authorization: Bearer KEY, see abctl keys) on decisions, events and dashboards; --no-keys only on a trusted network."
    )
    var keys = true

    @Flag(
        inversion: .prefixedNo,
        help: "Run the bandit allocator in this server on each spec's update_interval (turn off when `abctl allocate --watch` runs elsewhere)."
    )
    var allocator = true

    @Option(help: "Seconds between refreshes of the maintained aggregates that reports, /dashboard and the allocator read; 0 runs none here.")
    var refreshInterval: Double = 10

    @Option(help: "PostgreSQL connections in the write pool.")
    var poolSize = 4

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard poolSize >= 1 else { throw ValidationError("--pool-size must be at least 1") }
        guard refreshInterval >= 0 else { throw ValidationError("--refresh-interval must be 0 (off) or a positive number of seconds") }
    }

    func run() async throws {
        let target = try DatabaseLocator.resolve(flag: database.databaseURL)
        if database.verbose { Console.note(target.summary) }
        let environment = ProcessInfo.processInfo.environment
        let home =
            environment["ABCTL_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".abctl")
        var configuration = ServerConfiguration(
            host: host,
            port: port,
            conninfo: target.conninfo,
            spoolDirectory: spool.map { URL(fileURLWithPath: $0) } ?? home.appendingPathComponent("spool")
        )
        configuration.poolSize = poolSize
        configuration.models = ModelDirectory(explicit: models)
        configuration.runsAllocator = allocator
        configuration.aggregateRefreshInterval = refreshInterval > 0 ? refreshInterval : nil
        configuration.requiresKeys = keys
        var logger = Logger(label: "abctl.serve")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let host = host
        let app = try await buildApplication(configuration: configuration, logger: logger) { port in
            // Written straight to the descriptor: scripts wait for this line on a pipe.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }
}
