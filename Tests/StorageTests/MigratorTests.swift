import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

@Suite struct MigratorTests {
    /// A copy of the repository's sql/ folder in a temporary directory, to edit freely.
    func copyOfMigrations() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestDatabase.repositoryRoot.appendingPathComponent("sql"), to: folder)
        return folder
    }

    @Test func migratingTwiceIsANoOpAndCreatesTheSchema() throws {
        let folder = try copyOfMigrations()
        try TestDatabase.withFreshConnection { db in
            let migrator = Migrator(migrations: try Migration.load(from: folder))
            let first = try migrator.migrate(db)
            #expect(first.map(\.version) == migrator.migrations.map(\.version))
            #expect(first.count >= 2)
            #expect(try migrator.migrate(db).isEmpty)
            let tables = try db.query(
                "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace ORDER BY 1"
            ).map { try $0.decode(String.self, at: 0) }
            for table in ["experiments", "arms", "allocations", "impressions", "feedback", "items", "interactions", "schema_migrations"] {
                #expect(tables.contains(table), "missing \(table)")
            }
            // Impressions, feedback and outcome events (sql/0017) are range-partitioned ('r' strategy) on created_at.
            let strategies = try db.query(
                "SELECT c.relname, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1"
            ).map { try $0.decode((String, String).self) }
            #expect(strategies.map(\.0) == ["feedback", "impressions", "outcome_events"])
            #expect(strategies.allSatisfy { $0.1 == "r" })
            #expect(try migrator.status(db).allSatisfy { $0.appliedAt != nil })
        }
    }

    @Test func anEditedAppliedMigrationIsRefusedWithTheFileNamed() throws {
        let folder = try copyOfMigrations()
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: folder)).migrate(db)
            let file = folder.appendingPathComponent("0001_core_schema.sql")
            try (try String(contentsOf: file, encoding: .utf8) + "\n-- an innocent edit\n").write(to: file, atomically: true, encoding: .utf8)
            #expect {
                try Migrator(migrations: try Migration.load(from: folder)).migrate(db)
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix("sql/0001_core_schema.sql was changed after it was applied") && text.contains("new file")
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let folder = try copyOfMigrations()
        try "CREATE TABLE half_done (id int);\nSELECT 1/0;\n".write(
            to: folder.appendingPathComponent("0999_broken.sql"),
            atomically: true,
            encoding: .utf8
        )
        try TestDatabase.withFreshConnection { db in
            let migrator = Migrator(migrations: try Migration.load(from: folder))
            #expect {
                try migrator.migrate(db)
            } throws: { error in
                "\(error)".contains("0999_broken.sql failed and was rolled back") && "\(error)".contains("22012")  // division_by_zero
            }
            #expect(try db.query("SELECT to_regclass('half_done') IS NULL")[0].decode(Bool.self, at: 0))
            #expect(try db.query("SELECT count(*) FROM schema_migrations WHERE version = 999")[0].decode(Int.self, at: 0) == 0)
            // The good migrations before it stay applied.
            #expect(try db.query("SELECT count(*) FROM schema_migrations")[0].decode(Int.self, at: 0) == migrator.migrations.count - 1)
        }
    }

    @Test func badFileNamesAreReported() throws {
        let folder = try copyOfMigrations()
        try "SELECT 1;".write(to: folder.appendingPathComponent("cleanup.sql"), atomically: true, encoding: .utf8)
        #expect {
            try Migration.load(from: folder)
        } throws: { error in
            "\(error)".contains("cleanup.sql: a migration file must be named NNNN_description.sql")
        }
    }

    @Test func rowsOutsideTheMadePartitionsAreKeptAndMovedLater() throws {
        let folder = try copyOfMigrations()
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: folder)).migrate(db)
            // A feedback event a year ahead lands in the DEFAULT partition…
            let later = Date().addingTimeInterval(365 * 86_400)
            try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                VALUES (\("e1"), \(UUID()), \("u1"), \("i1"), \("click"), \(1.0), \(later))
                """
            )
            #expect(try db.query("SELECT count(*) FROM feedback_default")[0].decode(Int.self, at: 0) == 1)
            // …and moves into its own day's partition when that partition is made.
            let made = try db.query(
                "SELECT abctl_ensure_partitions('feedback', (\(later)::timestamptz AT TIME ZONE 'UTC')::date, 1)"
            )[0].decode(Int.self, at: 0)
            #expect(made == 1)
            #expect(try db.query("SELECT count(*) FROM feedback_default")[0].decode(Int.self, at: 0) == 0)
            #expect(try db.query("SELECT count(*) FROM feedback")[0].decode(Int.self, at: 0) == 1)
            // A retry of the same event (same id and time) is refused by the key: idempotent.
            #expect {
                try db.execute(
                    """
                    INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                    VALUES (\("e1"), \(UUID()), \("u1"), \("i1"), \("click"), \(1.0), \(later))
                    """
                )
            } throws: { error in (error as? PostgresError)?.sqlState == "23505" }
        }
    }
}
