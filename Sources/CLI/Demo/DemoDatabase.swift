import Foundation
import PostgresClient
import Storage

/// The demo's own database next to the configured one (`<database>_demo`), dropped and
/// created afresh on every run so the demo can be run again without cleaning up and never
/// touches the user's data.
enum DemoDatabase {
    /// The comment that marks a database as the demo's own, so a rerun may drop it.
    /// A constant without quotes, so it may be written into the COMMENT statement as text.
    static let marker = "created by abctl demo; dropped and recreated on each run"

    /// Recreates the demo database on the server of `conninfo` and returns its conninfo.
    static func recreate(from conninfo: String) throws -> String {
        let admin = try PostgresConnection(conninfo: conninfo)
        let current = try admin.query("SELECT current_database()")[0].decode(String.self, at: 0)
        let name = current.hasSuffix("_demo") ? current : current + "_demo"
        guard name != current else {
            throw StorageError("The configured database \(current) is itself a demo database", advice: "Point abctl demo at your main database")
        }
        guard let demo = ConnectionSettings.replacingDatabase(in: conninfo, with: name) else {
            throw StorageError("The connection settings could not be rewritten for the demo database")
        }
        // Only a database this demo created (it carries the marker comment) is ever dropped.
        let existing = try admin.query(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = \(name)"
        )
        if let row = existing.first, try row.decode(String?.self, at: 0) != marker {
            throw StorageError(
                "A database called \(name) exists and was not made by abctl demo; the demo will not drop it",
                advice: "Rename or drop it yourself, or point the demo at another server with --database-url"
            )
        }
        do {
            try admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
            try admin.execute("CREATE DATABASE \(identifier: name)")
            try admin.execute("COMMENT ON DATABASE \(identifier: name) IS '\(unsafeSQL: marker)'")
        } catch {
            throw StorageError(
                "The demo could not create its database \(name): \(error)",
                advice: "Give the user the CREATEDB privilege, or run the demo on the local cluster (unset DATABASE_URL)"
            )
        }
        return demo
    }
}
