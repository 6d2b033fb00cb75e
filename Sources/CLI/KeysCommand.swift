import ArgumentParser
import Foundation
import PostgresClient
import Storage

extension ApiKeyStore.Scope: ExpressibleByArgument {}

/// `abctl keys create|list|revoke`: the API keys `abctl serve` requires.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the API keys of the decision service.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (the only time it is shown).")

        @Option(help: "decide, events or admin (repeatable; admin allows everything).") var scope: [ApiKeyStore.Scope] = []
        @Option(help: "A name to recognise the key by.") var name = ""
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard !scope.isEmpty else { throw ValidationError("Give at least one --scope: decide, events or admin.") }
        }

        func run() throws {
            let connection = try database.connect()
            let created = try ApiKeyStore(connection: connection).create(scopes: scope, name: name)
            print(created.key)
            Console.note("key \(created.id) with scope \(scope.map(\.rawValue).joined(separator: ", ")); store it now, it cannot be shown again")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (ids, names, scopes, state; never secrets).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let records = try ApiKeyStore(connection: try database.connect()).list()
            guard !records.isEmpty else { return print("No API keys yet; create one with `abctl keys create --scope decide`") }
            for record in records {
                let state = record.revokedAt.map { "revoked \($0.formatted(.iso8601))" } ?? "active"
                print("\(record.id)  \(record.scopes.map(\.rawValue).joined(separator: ","))  \(state)  \(record.name)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; running servers stop accepting it at once.")
        @Argument(help: "The key's id (from abctl keys list).") var id: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try ApiKeyStore(connection: try database.connect()).revoke(id)
            print("revoked \(id)")
        }
    }
}
