import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A private PostgreSQL cluster (its own ABCTL_HOME) that a test may stop and start
/// without disturbing other tests, driven through the built `abctl` binary.
struct PrivateCluster {
    let home: URL
    private(set) var url = ""

    static var binary: String { TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/abctl").path }

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-serve-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // The cluster runs as the postgres user when tests run as root.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home.path)
        url = try start()
        try run(["migrate", "--database-url", url])
    }

    var environment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root",
            "ABCTL_HOME": home.path,
        ]
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let output = try ProcessRunner.run(Self.binary, arguments, environment: environment)
        guard output.status == 0 else { throw FixtureError("abctl \(arguments.joined(separator: " ")) failed: \(output.combined)") }
        return output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func start() throws -> String { try run(["db", "start"]) }
    func stop() throws { try run(["db", "stop"]) }

    /// Starts the stopped cluster again on the port the server under test knows. (`abctl db
    /// start` moves to a new port when a bind test fails, which TIME_WAIT sockets of the
    /// connections just closed make it do; PostgreSQL itself binds with SO_REUSEADDR.)
    func restartOnSamePort() throws {
        struct State: Decodable {
            var dataDirectory: String
            var port: Int
        }
        let state = try JSONDecoder().decode(State.self, from: Data(contentsOf: home.appendingPathComponent("postgres/cluster.json")))
        let versions = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").compactMap(Int.init).sorted(by: >)
        let pgctl = try #require(versions.map { "/usr/lib/postgresql/\($0)/bin/pg_ctl" }.first { FileManager.default.isExecutableFile(atPath: $0) })
        let log = URL(fileURLWithPath: state.dataDirectory).deletingLastPathComponent().appendingPathComponent("server.log").path
        let output = try ProcessRunner.run(
            pgctl,
            ["start", "-w", "-t", "60", "-D", state.dataDirectory, "-l", log, "-o", "-p \(state.port)"],
            asUser: geteuid() == 0 ? "postgres" : nil
        )
        guard output.status == 0 else { throw FixtureError("pg_ctl start failed: \(output.combined)") }
    }

    func connection() throws -> PostgresConnection { try PostgresConnection(conninfo: url) }

    /// Stops the cluster and deletes its folder.
    func destroy() {
        _ = try? stop()
        try? FileManager.default.removeItem(at: home)
    }
}

/// `abctl serve` running as a separate process on a free loopback port.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0

    /// Starts `abctl serve` on the cluster; without API keys unless `keys` (then every request needs one).
    init(cluster: PrivateCluster, spool: URL, arguments extra: [String] = [], keys: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: PrivateCluster.binary)
        process.arguments = ["serve", "--port", "0", "--database-url", cluster.url, "--spool", spool.path] + (keys ? [] : ["--no-keys"]) + extra
        process.environment = cluster.environment
        let output = Pipe()
        process.standardOutput = output
        let log = cluster.home.appendingPathComponent("serve-\(UInt32.random(in: 0...UInt32.max)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.waitUntilExit()
                let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw FixtureError("abctl serve exited before listening (status \(process.terminationStatus)): \(errors)")
            }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let portText = text.split(separator: ":").last?.split(separator: "\n").first, let port = Int(portText) else {
            throw FixtureError("unexpected first line from abctl serve: \(text)")
        }
        self.port = port
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// SIGKILL: no flush, no goodbye.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits; returns the exit status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// GETs `path` and parses the JSON body; nil when the request failed (server gone).
    func get(_ path: String) async -> (status: Int, body: [String: Any])? {
        let request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        guard let (data, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    /// POSTs JSON; nil when the request failed (server gone).
    func post(_ path: String, _ json: String, key: String? = nil) async -> (status: Int, body: [String: Any])? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        guard let (data, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }
}
