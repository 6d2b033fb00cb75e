import ArgumentParser

/// The `abctl` command: experiments, traffic, feedback and reports for recommendation strategies.
public struct ABCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "abctl",
        abstract: "Experiment with recommendation strategies: specs, assignment, logging, evaluation and bandits on PostgreSQL.",
        version: "0.1.0",
        subcommands: [
            DatabaseCommand.self,
            MigrateCommand.self,
            SimulateBanditCommand.self,
        ]
    )

    public init() {}
}
