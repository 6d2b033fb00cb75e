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
            ImportCommand.self,
            ValidateCommand.self,
            ApplyCommand.self,
            ListCommand.self,
            ShowCommand.self,
            StartCommand.self,
            PauseCommand.self,
            StopCommand.self,
            ReportCommand.self,
            RefreshCommand.self,
            OPECommand.self,
            TrainCommand.self,
            EvalCommand.self,
            ServeCommand.self,
            DemoCommand.self,
            DecideCommand.self,
            KeysCommand.self,
            SimulateBanditCommand.self,
            SimulateContextualCommand.self,
            SimulateCommand.self,
            AllocateCommand.self,
            CalibrateCommand.self,
        ]
    )

    public init() {}
}

extension ABCtl {
    /// Parses the command line and runs the chosen command, awaiting async ones. (Calling
    /// `main()` from another module picks ParsableCommand's synchronous entry point, which
    /// refuses async commands, so the executable calls this instead.)
    public static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
