import ArgumentParser

/// `abctl db start|stop|status|url`: the throwaway local PostgreSQL cluster.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "Run a throwaway local PostgreSQL cluster.")
}
