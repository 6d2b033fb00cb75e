import ArgumentParser
import Foundation
import Storage

/// `abctl show NAME [--version N]`: one stored version, its status history and allocations.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a stored experiment version, its status history and its allocations."
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "The version to show (default: the latest).")
    var version: Int?

    @Flag(help: "Print the canonical JSON of the spec instead of the YAML as applied.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = ExperimentStore(connection: try database.connect())
        guard let stored = try store.version(name, version) else {
            let which = version.map { "version \($0) of " } ?? ""
            throw ValidationError("There is no \(which)experiment \"\(name)\"; see `abctl list`")
        }
        print("experiment \(stored.name) version \(stored.version), applied \(stored.createdAt.formatted(.iso8601)) by \(stored.createdBy)")
        print("")
        print(json ? stored.specJSON : stored.source.trimmingCharacters(in: .newlines))
        print("")
        print("status history:")
        for change in try store.statusHistory(name) {
            let reason = change.reason.isEmpty ? "" : " (\(change.reason))"
            print("  \(change.changedAt.formatted(.iso8601))  \(change.status)  by \(change.changedBy)\(reason)")
        }
        print("allocations:")
        for allocation in try store.allocationHistory(name) {
            let weights = allocation.weights.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.4f", $0.value))" }
            print(
                "  v\(allocation.version)  \(allocation.effectiveFrom.formatted(.iso8601))  \(allocation.policy)  \(weights.joined(separator: " "))"
            )
        }
    }
}
