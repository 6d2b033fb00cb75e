import Foundation
import PostgresClient

/// A throwaway PostgreSQL cluster under the project's working folder, made with initdb and
/// run with pg_ctl: Unix socket in its data folder plus a free loopback port, a superuser
/// `abctl` with a random password, and a database `abctl`. When abctl runs as root the
/// server runs as the `postgres` user, since PostgreSQL refuses to run as root.
public struct LocalCluster: Sendable {
    /// The folder holding `cluster.json`: `$ABCTL_HOME/postgres`, else `./.abctl/postgres`.
    public let home: URL
    let binaries: URL

    /// What `abctl db start` recorded: where the data is and how to reach the server.
    struct State: Codable {
        var dataDirectory: String
        var port: Int
        var password: String
        var user = "abctl"
        var database = "abctl"
    }

    /// The cluster for `environment` and the current directory. Throws when the PostgreSQL
    /// server programs are not installed.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let base =
            environment["ABCTL_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".abctl")
        home = base.appendingPathComponent("postgres")
        binaries = try Self.findServerBinaries()
    }

    /// The newest /usr/lib/postgresql/N/bin holding initdb, or the directory of initdb on PATH.
    static func findServerBinaries() throws -> URL {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let candidates = versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for directory in candidates + path where FileManager.default.isExecutableFile(atPath: directory + "/initdb") {
            return URL(fileURLWithPath: directory)
        }
        throw StorageError(
            "The PostgreSQL server programs (initdb, pg_ctl) are not installed",
            advice: "Install them with `apt-get install postgresql` (make test and make demo do this), or set DATABASE_URL to a running server"
        )
    }

    var stateFile: URL { home.appendingPathComponent("cluster.json") }
    static var isRoot: Bool { geteuid() == 0 }
    /// The OS user the server runs as: `postgres` for root, else nobody else (ourselves).
    var serverUser: String? { Self.isRoot ? "postgres" : nil }

    func loadState() -> State? {
        guard let data = try? Data(contentsOf: stateFile) else { return nil }
        return try? JSONDecoder().decode(State.self, from: data)
    }

    /// The connection URL of the cluster, or nil when it was never created.
    public func url() -> String? {
        loadState().map { "postgresql://\($0.user):\($0.password)@127.0.0.1:\($0.port)/\($0.database)" }
    }

    /// Whether the server is running (pg_ctl status).
    public func isRunning() throws -> Bool {
        guard let state = loadState() else { return false }
        let output = try pgctl(["status", "-D", state.dataDirectory])
        return output.status == 0
    }

    /// Creates the cluster if needed and starts it if it is not running; returns its URL.
    @discardableResult
    public func start() throws -> String {
        var state = try loadState() ?? create()
        if try isRunning() {
            try createDatabaseIfMissing(state)
            return url() ?? ""
        }
        if !Self.isPortFree(state.port) {
            state.port = try Self.freePort()
            try save(state)
        }
        let log = URL(fileURLWithPath: state.dataDirectory).deletingLastPathComponent().appendingPathComponent("server.log").path
        let output = try pgctl(["start", "-w", "-t", "60", "-D", state.dataDirectory, "-l", log, "-o", "-p \(state.port)"])
        guard output.status == 0 else {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
            throw StorageError("The local PostgreSQL did not start: \(output.combined) \(tail)", advice: "See \(log)")
        }
        try createDatabaseIfMissing(state)
        return url() ?? ""
    }

    /// Stops the server if it runs (fast shutdown: clients disconnected, data flushed).
    public func stop() throws {
        guard let state = loadState(), try isRunning() else { return }
        let output = try pgctl(["stop", "-w", "-m", "fast", "-D", state.dataDirectory])
        guard output.status == 0 else { throw StorageError("The local PostgreSQL did not stop: \(output.combined)") }
    }

    /// A sentence describing where the cluster is and whether it runs.
    public func statusDescription() throws -> String {
        guard let state = loadState() else { return "No local cluster yet; `abctl db start` creates one under \(home.path)" }
        let running = try isRunning()
        return "Local cluster in \(state.dataDirectory) is \(running ? "running on 127.0.0.1:\(state.port)" : "stopped")"
    }

    private func pgctl(_ arguments: [String]) throws -> ProcessRunner.Output {
        try ProcessRunner.run(binaries.appendingPathComponent("pg_ctl").path, arguments, asUser: serverUser)
    }
}
