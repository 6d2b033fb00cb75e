import ArgumentParser
import Foundation
import Spec
import Strategies

/// `abctl validate FILES…`: checks experiment specs and prints every finding as
/// `file:line:column: message`; exits 1 when any finding is an error.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate experiment specs (YAML) and print every problem with its file:line:column."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "Spec files or folders of specs (*.yaml). A folder's defaults.yaml applies beneath its specs.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let (output, status) = execute()
        if !output.isEmpty { print(output) }
        if status != 0 { throw ExitCode(status) }
    }

    /// Validates the files and returns what to print and the exit status, so tests can call it in process.
    func execute() -> (output: String, status: Int32) {
        let paths = SpecFiles.expand(files)
        let report = SpecFiles.validate(paths)
        let status: Int32 = report.hasErrors ? 1 : 0
        switch format {
        case .text:
            var lines = report.findings.map(\.description)
            let failed = Set(report.findings.filter { $0.severity == .error }.map(\.file))
            for path in paths where !failed.contains(path) {
                if let spec = report.specs[path] {
                    let design = spec.type == .interleaving ? "interleaved" : "\(spec.allocation.type.rawValue) allocation"
                    lines.append("\(path): OK (\(spec.name), \(spec.arms.count) arms, \(design))")
                } else if path.hasSuffix("/" + SpecLoader.defaultsFileName) || path == SpecLoader.defaultsFileName {
                    lines.append("\(path): OK (defaults)")
                }
            }
            return (lines.joined(separator: "\n"), status)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            guard !report.findings.isEmpty, let data = try? encoder.encode(report.findings) else { return ("[]", status) }
            return (String(decoding: data, as: UTF8.self), status)
        }
    }
}
