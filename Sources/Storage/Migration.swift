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
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        } catch {
            throw StorageError(
                "The migrations folder \(directory.path) cannot be read",
                advice: "Pass --migrations DIR or run from the project folder"
            )
        }
        var migrations: [Migration] = []
        for file in files {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
                throw StorageError(
                    "\(directory.path)/\(file): a migration file must be named NNNN_description.sql",
                    advice: "Rename it, e.g. 0003_\(stem).sql"
                )
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw StorageError(
                    "\(directory.path)/\(file) and \(clash.fileName) both have number \(version)",
                    advice: "Give each migration its own number"
                )
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), fileName: file, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }

    /// Finds sql/: an explicit folder, $ABCTL_SQL_DIR, ./sql, or a sql/ folder above the
    /// running executable (a build inside the repository).
    public static func locateDirectory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let fromEnvironment = environment["ABCTL_SQL_DIR"] { return URL(fileURLWithPath: fromEnvironment) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql")]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("sql"))
            folder.deleteLastPathComponent()
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("0001_core_schema.sql").path) {
            return candidate
        }
        throw StorageError("Could not find the sql/ folder with abctl's migrations", advice: "Run from the project folder, or pass --migrations DIR")
    }
}
