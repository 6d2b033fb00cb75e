import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresClient
import PostgresTestSupport
import Server
import Spec
import Storage
import Strategies

/// A fresh migrated database, the app `abctl serve` runs built over it, and helpers to
/// post JSON and read tables.
struct ServerFixture {
    let conninfo: String
    let spoolDirectory: URL
    /// This fixture's own model folder (empty unless a test saves models in it).
    var modelsDirectory: URL { spoolDirectory.appendingPathExtension("models") }

    /// Creates a database, runs `body`, and drops the database afterwards.
    static func with<T>(_ body: (ServerFixture) async throws -> T) async throws -> T {
        let server = try TestDatabase.serverURL()
        let name = "abctl_test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let admin = try PostgresConnection(conninfo: server)
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        guard let conninfo = ConnectionSettings.replacingDatabase(in: server, with: name) else { throw TestDatabaseError.unparsable }
        try migrate(conninfo)
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-spool-\(name)")
        defer {
            try? FileManager.default.removeItem(at: spool)
            try? FileManager.default.removeItem(at: spool.appendingPathExtension("models"))
        }
        return try await body(ServerFixture(conninfo: conninfo, spoolDirectory: spool))
    }

    static func migrate(_ conninfo: String) throws {
        let db = try PostgresConnection(conninfo: conninfo)
        try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
    }

    var configuration: ServerConfiguration {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, conninfo: conninfo, spoolDirectory: spoolDirectory)
        configuration.impressionFlushInterval = .milliseconds(20)
        configuration.models = ModelDirectory(explicit: modelsDirectory.path)
        // Keys are tested on their own (ApiKeyTests); the other tests talk without them.
        configuration.requiresKeys = false
        return configuration
    }

    /// Runs `test` against the real app on a loopback port; `configure` may change limits.
    func test<T: Sendable>(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ test: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "abctl.serve.test")
        logger.logLevel = .error
        var configuration = configuration
        configure(&configuration)
        let app = try await buildApplication(configuration: configuration, logger: logger)
        return try await app.test(.live, test)
    }

    func connection() throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo)
    }

    /// Every request id in `impressions` on `db` with its number of rows.
    static func impressionCounts(on db: PostgresConnection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try db.query("SELECT request_id::text, count(*) FROM impressions GROUP BY request_id") {
            let (id, count) = try row.decode((String, Int).self)
            counts[id] = count
        }
        return counts
    }

    /// Validates `yaml` with the standard catalogue and stores it through `ExperimentStore`.
    func apply(_ yaml: String) throws -> ExperimentSpec {
        try Self.applySpec(yaml, on: connection())
    }

    /// Validates `yaml` and stores it through `ExperimentStore` on `db`.
    static func applySpec(_ yaml: String, on db: PostgresConnection) throws -> ExperimentSpec {
        let report = SpecLoader(catalog: .standard).validate(files: ["inline.yaml": yaml])
        guard let spec = report.specs["inline.yaml"] else { throw FixtureError("spec does not validate: \(report.findings)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try ExperimentStore(connection: db).apply(
            name: spec.name,
            canonicalJSON: spec.canonicalJSON(),
            source: yaml,
            status: spec.status.rawValue,
            arms: spec.arms.map { arm in
                ExperimentStore.ArmRecord(
                    key: arm.key,
                    strategy: arm.strategy,
                    parametersJSON: String(decoding: try encoder.encode(arm.params), as: UTF8.self),
                    isControl: arm.isControl,
                    initialWeight: arm.weight
                )
            },
            policy: "fixed",
            by: "test"
        )
        return spec
    }

    /// Waits (polling, at most `seconds`) until `condition` holds; returns whether it did.
    static func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension TestClientProtocol {
    /// POSTs `json` text and returns the status and the body parsed as JSON.
    func post(_ uri: String, _ json: String) async throws -> (status: Int, body: [String: Any]) {
        let answer = try await postWithHeaders(uri, json)
        return (answer.status, answer.body)
    }

    /// POSTs `json` text and returns the status, the Retry-After header and the JSON body.
    func postWithHeaders(_ uri: String, _ json: String) async throws -> (status: Int, retryAfter: String?, body: [String: Any]) {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status.code, response.headers[.retryAfter], object)
        }
    }

    /// Makes a decision for `unit` and returns its request_id (events must answer a real decision).
    func requestID(experiment: String = "server-test", unit: String) async throws -> String {
        let answer = try await post("/v1/decisions", #"{"experiment":"\#(experiment)","unit_id":"\#(unit)"}"#)
        guard answer.status == 200, let id = answer.body["request_id"] as? String else {
            throw FixtureError("the decision for \(unit) failed: \(answer.status) \(answer.body)")
        }
        return id
    }

    /// GETs `uri` and returns the status and the body text.
    func getText(_ uri: String) async throws -> (status: Int, text: String) {
        try await execute(uri: uri, method: .get) { response in (response.status.code, String(buffer: response.body)) }
    }
}

/// ISO 8601 text of a time `offset` seconds from now, whole seconds.
func isoTime(_ offset: TimeInterval = 0) -> String {
    Date(timeIntervalSinceNow: offset).formatted(.iso8601)
}

/// A JSON event object.
func eventJSON(
    id: String,
    request: String,
    unit: String = "u1",
    item: String = "i1",
    type: String = "click",
    value: Double = 1,
    timestamp: String
) -> String {
    #"{"event_id":"\#(id)","request_id":"\#(request)","unit_id":"\#(unit)","item_id":"\#(item)","type":"\#(type)","value":\#(value),"timestamp":"\#(timestamp)"}"#
}
