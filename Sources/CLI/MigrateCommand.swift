import ArgumentParser
import Foundation
import Storage

/// `abctl migrate`: applies the numbered SQL migrations of sql/, built into the binary, in order.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending SQL migrations, each in a transaction; --status lists them."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Folder of NNNN_name.sql files (default: $ABCTL_SQL_DIR, else the migrations built into abctl from sql/).")
    var migrations: String?

    @Flag(help: "List migrations and when each was applied, without applying any.")
    var status = false

    func run() throws {
        let migrator = Migrator(migrations: try Migration.resolve(explicit: migrations))
        let connection = try database.connect()
        if status {
            for entry in try migrator.status(connection) {
                let when = entry.appliedAt.map { "applied \($0.formatted(.iso8601))" } ?? "pending"
                print("\(entry.migration.fileName)  \(when)")
            }
            return
        }
        let applied = try migrator.migrate(connection)
        if applied.isEmpty {
            print("Schema is up to date (\(migrator.migrations.count) migrations).")
        } else {
            for migration in applied { print("applied \(migration.fileName)") }
        }
    }
}
