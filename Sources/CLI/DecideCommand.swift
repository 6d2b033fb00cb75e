import ArgumentParser
import Foundation
import Logging
import Server
import Spec
import Storage

/// `abctl decide`: one decision from the terminal, through the decision service's own code
/// (DecisionCore in process): assignment, the arm's strategy, and the logged impression.
struct DecideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Make one decision as POST /v1/decisions would, print it as JSON, and log the impression."
    )

    @Option(help: "The experiment's name.") var experiment: String
    @Option(help: "The unit (user or session) id.") var unit: String
    @Option(
        help: """
            A context attribute as key=value (repeatable). A value that reads as a number or true/false is \
            typed; quote it to keep it text: app_version='"4.9"' (or use --context-text).
            """
    )
    var context: [String] = []
    @Option(help: "A context attribute as key=value whose value is always text, e.g. app_version=4.9 (repeatable).")
    var contextText: [String] = []
    @Option(help: "How many items.") var k = 10
    @Option(help: "An item never to show (repeatable).") var exclude: [String] = []
    @Option(help: "Folder of the arms' models (default: $ABCTL_MODELS, else ./.abctl/models).") var models: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...1000).contains(k) else { throw ValidationError("--k must be between 1 and 1000.") }
        for pair in context where !pair.contains("=") {
            throw ValidationError("--context \"\(pair)\" must look like key=value.")
        }
        for pair in contextText where !pair.contains("=") {
            throw ValidationError("--context-text \"\(pair)\" must look like key=value.")
        }
    }

    /// `key=value` pairs as typed attribute values: numbers, booleans, else text; a value in
    /// double quotes is the text between them, and every pair of `texts` is text as given
    /// (a version such as 4.9 must stay text for a regex rule to see it).
    static func attributes(_ pairs: [String], texts: [String] = []) -> [String: AttributeValue] {
        var attributes: [String: AttributeValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let key = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                attributes[key] = .text(String(text.dropFirst().dropLast()))
            } else if let number = Double(text) {
                attributes[key] = .number(number)
            } else if text == "true" || text == "false" {
                attributes[key] = .bool(text == "true")
            } else {
                attributes[key] = .text(text)
            }
        }
        for pair in texts {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            attributes[String(pair[..<equals])] = .text(String(pair[pair.index(after: equals)...]))
        }
        return attributes
    }

    func run() async throws {
        let target = try DatabaseLocator.resolve(flag: database.databaseURL)
        if database.verbose { Console.note(target.summary) }
        let home =
            ProcessInfo.processInfo.environment["ABCTL_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".abctl")
        var configuration = ServerConfiguration(conninfo: target.conninfo, spoolDirectory: home.appendingPathComponent("spool"))
        configuration.models = ModelDirectory(explicit: models)
        configuration.runsAllocator = false
        var logger = Logger(label: "abctl.decide")
        logger.logLevel = .warning
        let core = try await DecisionCore(configuration: configuration, logger: logger)
        let request = DecisionRequest(
            experiment: experiment,
            unitID: unit,
            context: Self.attributes(context, texts: contextText),
            k: k,
            exclude: exclude
        )
        // An APIError prints as its sentence (e.g. the unknown experiment), without usage text.
        let answer = try await core.decide(request)
        try await core.flushImpressions()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(answer), as: UTF8.self))
    }
}
