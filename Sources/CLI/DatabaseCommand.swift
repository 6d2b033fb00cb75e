import ArgumentParser
import Storage

/// `abctl db start|stop|status|url`: the throwaway local PostgreSQL cluster.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Run a throwaway local PostgreSQL cluster under ./.abctl (or $ABCTL_HOME).",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the cluster if needed, start it, and print its URL.")
        func run() throws {
            print(try LocalCluster().start())
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster (data is kept).")
        func run() throws {
            try LocalCluster().stop()
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say where the cluster is and whether it runs; exit 3 when stopped.")
        func run() throws {
            let cluster = try LocalCluster()
            print(try cluster.statusDescription())
            if try !cluster.isRunning() { throw ExitCode(3) }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the cluster's connection URL.")
        func run() throws {
            guard let url = try LocalCluster().url() else {
                throw ValidationError("There is no local cluster yet; run `abctl db start` first")
            }
            print(url)
        }
    }
}
