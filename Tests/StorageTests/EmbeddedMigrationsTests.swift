import Foundation
import PostgresTestSupport
import Testing

@testable import Storage

/// The migrations built into the binary are sql/ as it is on disk: same files, same bytes.
/// sql/ is the only copy anyone edits; the EmbedMigrations build plugin copies it when the folder
/// changes, and this test fails if a build ever carried a stale or partial copy (a file edited in
/// place without the folder changing is one way: any build after `touch sql` fixes it).
@Suite struct EmbeddedMigrationsTests {
    @Test func embeddedMigrationsEqualTheSqlFolder() throws {
        let onDisk = try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))
        let embedded = try Migration.embedded()
        #expect(embedded.map(\.fileName) == onDisk.map(\.fileName))
        #expect(embedded == onDisk)
        #expect(embedded.first?.fileName == "0001_core_schema.sql")
    }

    @Test func withoutAFolderTheBuiltInMigrationsAreUsed() throws {
        #expect(try Migration.resolve(explicit: nil, environment: [:]) == Migration.embedded())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "SELECT 1;\n".write(to: folder.appendingPathComponent("0001_only.sql"), atomically: true, encoding: .utf8)
        #expect(try Migration.resolve(explicit: nil, environment: ["ABCTL_SQL_DIR": folder.path]).map(\.name) == ["only"])
        #expect(try Migration.resolve(explicit: folder.path, environment: [:]).map(\.name) == ["only"])
    }
}
