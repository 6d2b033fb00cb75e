import Foundation

/// One numbered SQL file of sql/: `0001_core_schema.sql` is version 1, named core_schema.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var fileName: String
    public var sql: String

    /// The migrations in `directory`, in version order. File names must be `NNNN_name.sql`
    /// with unique numbers; anything else is an error naming the file.
    public static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        } catch {
            throw StorageError(
                "The migrations folder \(directory.path) cannot be read",
                advice: "Check the path given to --migrations or ABCTL_SQL_DIR; without either, abctl uses the migrations built into it"
            )
        }
        var files: [(fileName: String, sql: String)] = []
        for name in names {
            files.append((name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
        }
        return try parse(files, folder: directory.path)
    }

    /// The migrations built into this binary: sql/ as it was at build time, embedded by the
    /// EmbedMigrations build plugin (Plugins/EmbedMigrations, scripts/embed-migrations.sh), so `abctl migrate` works from any
    /// folder and a release build is self-contained.
    public static func embedded() throws -> [Migration] {
        var files: [(fileName: String, sql: String)] = []
        for file in embeddedFiles {
            guard let bytes = Data(base64Encoded: file.base64), let sql = String(data: bytes, encoding: .utf8) else {
                throw StorageError("The built-in migration \(file.fileName) is not UTF-8 text", advice: "Rebuild abctl from a clean checkout")
            }
            files.append((file.fileName, sql))
        }
        return try parse(files, folder: "sql (built in)")
    }

    /// The migrations to apply: those in an explicit folder, else in $ABCTL_SQL_DIR, else the
    /// ones built into the binary.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Migration] {
        if let folder = explicit ?? environment["ABCTL_SQL_DIR"] {
            return try load(from: URL(fileURLWithPath: folder))
        }
        return try embedded()
    }

    /// Migrations from (file name, text) pairs, in version order; `folder` names where they
    /// came from in errors.
    static func parse(_ files: [(fileName: String, sql: String)], folder: String) throws -> [Migration] {
        var migrations: [Migration] = []
        for (file, sql) in files {
            let stem = file.dropLast(4)
            guard file.hasSuffix(".sql"), let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
                throw StorageError(
                    "\(folder)/\(file): a migration file must be named NNNN_description.sql",
                    advice: "Rename it, e.g. 0003_\(stem).sql"
                )
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw StorageError(
                    "\(folder)/\(file) and \(clash.fileName) both have number \(version)",
                    advice: "Give each migration its own number"
                )
            }
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), fileName: file, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }
}
