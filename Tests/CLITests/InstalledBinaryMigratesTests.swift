import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// An installed abctl, copied out of the checkout and run from an empty folder, migrates with
/// the migrations built into it (it used to fail with "Could not find the sql/ folder").
@Suite struct InstalledBinaryMigratesTests {
    @Test func aCopyOfTheBinaryMigratesFromAnyFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-installed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The copy is made by `cp` inside the child shell, not by this process: a file this
        // process held open for writing would be inherited by any process another test spawns
        // meanwhile, and exec of the copy would then fail with "Text file busy" (ETXTBSY).
        try TestDatabase.withFreshDatabase { conninfo in
            let result = try ProcessRunner.run(
                "/bin/sh",
                ["-c", "cd \"$1\" && cp \"$2\" ./abctl && ./abctl migrate", "sh", folder.path, AbctlBinary.path],
                environment: ["DATABASE_URL": conninfo, "PATH": "/usr/bin:/bin", "HOME": folder.path]
            )
            #expect(result.status == 0, "\(result.combined)")
            let onDisk = try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))
            let applied = try PostgresConnection(conninfo: conninfo).query("SELECT version FROM schema_migrations ORDER BY version")
            #expect(try applied.map { try $0.decode(Int.self, at: 0) } == onDisk.map(\.version))
        }
    }
}
