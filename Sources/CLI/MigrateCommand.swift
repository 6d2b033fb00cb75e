import ArgumentParser

/// `abctl migrate`: applies the numbered SQL migrations in order.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply the SQL migrations.")
}
