import ArgumentParser
import Foundation
import Storage

/// `abctl start|pause|stop NAME`: records a status change with who made it and why.
struct StatusChangeOptions: ParsableArguments {
    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "Why (kept in the history).")
    var reason: String = ""

    @Option(help: "Who (default: $ABCTL_USER, then $USER).")
    var by: String?

    @OptionGroup var database: DatabaseOptions

    func change(to status: String) throws {
        let user = by ?? CurrentUser.name
        try ExperimentStore(connection: try database.connect()).setStatus(name, to: status, by: user, reason: reason)
        print("\(name): \(status) (by \(user))")
    }
}

/// `abctl start NAME`.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start (or resume) an experiment.")
    @OptionGroup var options: StatusChangeOptions
    func run() throws { try options.change(to: "running") }
}

/// `abctl pause NAME`: units get the fallback until it is started again.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause an experiment: units get the fallback arm.")
    @OptionGroup var options: StatusChangeOptions
    func run() throws { try options.change(to: "paused") }
}

/// `abctl stop NAME`.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop an experiment for good.")
    @OptionGroup var options: StatusChangeOptions
    func run() throws { try options.change(to: "stopped") }
}

/// Who is running abctl, for the history: $ABCTL_USER, then $USER, then the login name.
enum CurrentUser {
    static var name: String {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["ABCTL_USER"] ?? environment["USER"], !name.isEmpty { return name }
        if let login = getlogin() { return String(cString: login) }
        return geteuid() == 0 ? "root" : "uid \(geteuid())"
    }
}
