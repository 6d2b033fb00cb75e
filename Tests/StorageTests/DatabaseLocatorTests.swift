import Testing

@testable import Storage

/// The documented order: --database-url, DATABASE_URL, PG* environment, local cluster.
@Suite struct DatabaseLocatorTests {
    let url = "postgresql://flag@h/db"

    @Test func theFlagWinsOverEverything() {
        let target = DatabaseLocator.configuredTarget(flag: url, environment: ["DATABASE_URL": "postgresql://env/db", "PGHOST": "pg"])
        #expect(target == DatabaseTarget(conninfo: url, source: .flag))
    }

    @Test func databaseURLWinsOverPGVariables() {
        let target = DatabaseLocator.configuredTarget(flag: nil, environment: ["DATABASE_URL": "postgresql://env/db", "PGHOST": "pg"])
        #expect(target == DatabaseTarget(conninfo: "postgresql://env/db", source: .databaseURL))
    }

    @Test(arguments: DatabaseLocator.environmentKeys)
    func anyPGVariableHandsOverToLibpq(key: String) {
        let target = DatabaseLocator.configuredTarget(flag: nil, environment: [key: "x", "HOME": "/root"])
        #expect(target == DatabaseTarget(conninfo: "", source: .pgEnvironment))
    }

    @Test func nothingConfiguredLeavesTheLocalCluster() {
        #expect(DatabaseLocator.configuredTarget(flag: nil, environment: ["PGPASSWORD": "only a password", "DATABASE_URL": ""]) == nil)
        #expect(DatabaseLocator.configuredTarget(flag: "", environment: [:]) == nil)
    }

    @Test func summariesNeverShowPasswords() {
        #expect(
            DatabaseTarget(conninfo: "postgresql://a:s3cret@h/d", source: .flag).summary == "database from --database-url: postgresql://a:***@h/d"
        )
        #expect(!DatabaseTarget(conninfo: "host=h password='s3 cret'", source: .flag).summary.contains("cret"))
    }
}
