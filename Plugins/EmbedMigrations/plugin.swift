import Foundation
import PackagePlugin

/// Embeds the package's sql/ migrations into the Storage module as generated Swift source
/// (scripts/embed-migrations.sh), so an installed `abctl` migrates from any folder. sql/ stays
/// the only copy that people edit. The command's input is the sql/ folder itself, not a list of
/// its files: SwiftPM plans the command once, so a list would go stale, while the folder changes
/// whenever a file is added, removed or saved by rename, and the script then lists it afresh.
/// `EmbeddedMigrationsTests` fails if the embedded copy ever differs from sql/.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let folder = root.appending(path: "sql")
        let script = root.appending(path: "scripts/embed-migrations.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [
            .buildCommand(
                displayName: "Embedding the migrations of sql/",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, folder.path, output.path],
                inputFiles: [folder, script],
                outputFiles: [output.appending(path: "EmbeddedMigrations.swift")]
            )
        ]
    }
}
