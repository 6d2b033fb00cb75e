import Foundation
import PostgresClient
import PostgresTestSupport

/// Logged data for the report's end-to-end tests: a fresh database with abctl's schema,
/// a spec applied from YAML text, and units logged with SQL in bulk.
struct ReportFixture {
    let conninfo: String
    let db: PostgresConnection
    var environment: [String: String] { ["DATABASE_URL": conninfo] }

    /// 2026-11-20 00:00 UTC, the test specs' start.
    static let start = Date(timeIntervalSince1970: 1_795_132_800)

    /// Migrates the database and applies `yaml` as a spec.
    init(conninfo: String, spec yaml: String) throws {
        self.conninfo = conninfo
        let migrated = try AbctlBinary.run(["migrate"], environment: ["DATABASE_URL": conninfo])
        guard migrated.status == 0 else { throw FixtureError(description: "migrate failed: \(migrated.standardError)") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let applied = try AbctlBinary.run(["apply", file.path], environment: ["DATABASE_URL": conninfo])
        guard applied.status == 0 else { throw FixtureError(description: "apply failed: \(applied.standardError)") }
        db = try PostgresConnection(conninfo: conninfo)
    }

    /// Logs `units` units `prefix`-1…`prefix`-units of `arm`, one impression each (items
    /// i1…i3) at `at` under allocation `version` with context `context`, and a purchase of
    /// i1 worth `value` one minute later for the first `converting` of them.
    func log(
        _ experiment: String,
        arm: String,
        prefix: String,
        units: Int,
        converting: Int,
        version: Int64 = 1,
        at: Date,
        context: String = "{}",
        value: Double = 20
    ) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, context, created_at)
            SELECT md5(\(prefix) || g)::uuid, \(experiment), 1, \(arm), \(prefix) || '-' || g,
                   ARRAY['i1','i2','i3'], ARRAY[3,2,1]::float8[], 0.5, \(version), \(context)::jsonb, \(at)
            FROM generate_series(1, \(units)) g
            """
        )
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'p-' || \(prefix) || g, md5(\(prefix) || g)::uuid, \(prefix) || '-' || g, 'i1', 'purchase', \(value),
                   \(at.addingTimeInterval(60))
            FROM generate_series(1, \(converting)) g
            """
        )
    }

    /// Runs `abctl report` with `arguments` after the experiment's name and parses its JSON.
    func reportJSON(_ experiment: String, _ arguments: [String] = []) throws -> [String: Any] {
        let output = try AbctlBinary.run(["report", experiment, "--format", "json"] + arguments, environment: environment)
        guard output.status == 0 else { throw FixtureError(description: "report failed: \(output.standardError)") }
        guard let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any] else {
            throw FixtureError(description: "report printed no JSON object")
        }
        return json
    }
}

/// A fixture step that failed, with the command's error output.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Reads nested JSON values in tests: `json[path: "report", "comparisons"]`.
extension Dictionary where Key == String, Value == Any {
    subscript(path keys: String...) -> Any? {
        var current: Any? = self
        for key in keys { current = (current as? [String: Any])?[key] }
        return current
    }
}
