import ArgumentParser
import Foundation
import PostgresClient
import Storage

/// The flags every command that talks to PostgreSQL shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL or conninfo; else DATABASE_URL, then PG* variables, then the local cluster.")
    var databaseURL: String?

    @Flag(name: .shortAndLong, help: "Say which database is used and what is done.")
    var verbose = false

    /// Resolves the database in the documented order and opens a connection to it.
    func connect() throws -> PostgresConnection {
        let target = try DatabaseLocator.resolve(flag: databaseURL)
        if verbose { Console.note(target.summary) }
        return try PostgresConnection(conninfo: target.conninfo)
    }
}

/// Messages for people: notes go to standard error so standard output stays data.
enum Console {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
