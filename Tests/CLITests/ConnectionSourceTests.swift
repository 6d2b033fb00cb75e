import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// The built binary picks its database in the documented order and says which with
/// --verbose: --database-url, DATABASE_URL, the PG* environment, then the local cluster.
@Suite(.serialized) struct ConnectionSourceTests {
    @Test func eachSourceInTurn() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let settings = try #require(ConnectionSettings.parse(conninfo))
            let decoy = "postgresql://nobody:nothing@127.0.0.1:1/never"

            // 1. The flag beats DATABASE_URL (a decoy that would fail).
            var output = try AbctlBinary.run(["migrate", "-v", "--database-url", conninfo], environment: ["DATABASE_URL": decoy])
            #expect(output.status == 0, "\(output.combined)")
            #expect(output.standardError.contains("database from --database-url"))
            #expect(!output.standardError.contains(settings["password"] ?? "\u{0}"))

            // 2. DATABASE_URL beats the PG* variables (decoys that would fail).
            output = try AbctlBinary.run(
                ["migrate", "--status", "-v"],
                environment: ["DATABASE_URL": conninfo, "PGHOST": "127.0.0.1", "PGPORT": "1"]
            )
            #expect(output.status == 0, "\(output.combined)")
            #expect(output.standardError.contains("database from DATABASE_URL"))
            #expect(output.standardOutput.contains("0001_core_schema.sql  applied"))

            // 3. PG* variables, read by libpq as psql reads them.
            var pg: [String: String] = [:]
            pg["PGHOST"] = settings["host"]
            pg["PGPORT"] = settings["port"]
            pg["PGUSER"] = settings["user"]
            pg["PGPASSWORD"] = settings["password"]
            pg["PGDATABASE"] = settings["dbname"]
            output = try AbctlBinary.run(["migrate", "--status", "-v"], environment: pg)
            #expect(output.status == 0, "\(output.combined)")
            #expect(output.standardError.contains("database from PG* environment"))
            #expect(output.standardOutput.contains("0002_event_log.sql  applied"))
        }
    }

    @Test func withNothingConfiguredTheLocalClusterIsCreatedAndUsed() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // The cluster runs as `postgres` under root: it must be able to enter the folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home.path)
        let environment = ["ABCTL_HOME": home.path]
        defer {
            _ = try? AbctlBinary.run(["db", "stop"], environment: environment)
            try? FileManager.default.removeItem(at: home)
        }
        let output = try AbctlBinary.run(["migrate", "-v"], environment: environment)
        #expect(output.status == 0, "\(output.combined)")
        #expect(output.standardError.contains("database from local cluster: postgresql://abctl:***@127.0.0.1:"))
        #expect(output.standardOutput.contains("applied 0001_core_schema.sql"))
        let status = try AbctlBinary.run(["db", "status"], environment: environment)
        #expect(status.status == 0 && status.standardOutput.contains("is running on 127.0.0.1:"))
        let url = try AbctlBinary.run(["db", "url"], environment: environment).standardOutput
        let connection = try PostgresConnection(conninfo: url)
        #expect(try connection.query("SELECT count(*) FROM schema_migrations")[0].decode(Int.self, at: 0) >= 2)
        let stop = try AbctlBinary.run(["db", "stop"], environment: environment)
        #expect(stop.status == 0)
        let stopped = try AbctlBinary.run(["db", "status"], environment: environment)
        #expect(stopped.status == 3 && stopped.standardOutput.contains("is stopped"))
    }
}
