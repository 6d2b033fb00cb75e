import Foundation
import Spec
import Strategies

/// Reading spec files from disk for the commands that take them (validate, apply).
enum SpecFiles {
    /// Folders become their *.yaml and *.yml files, sorted; files stay as given.
    static func expand(_ arguments: [String]) -> [String] {
        arguments.flatMap { argument -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue,
                let names = try? FileManager.default.contentsOfDirectory(atPath: argument)
            else { return [argument] }
            let folder = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
        }
    }

    /// Loads and validates the files together (layers are checked across them).
    static func validate(_ paths: [String]) -> ValidationReport {
        SpecLoader(catalog: .standard).validate(paths: paths) { path in
            try? String(contentsOfFile: path, encoding: .utf8)
        }
    }
}

/// Findings that stop a command: printed one per line, as `file:line:column: message`.
struct SpecFindingsError: Error, CustomStringConvertible {
    var findings: [Finding]
    var description: String {
        (findings.map(\.description) + ["Nothing was applied; fix the findings above (abctl validate shows them too)."])
            .joined(separator: "\n")
    }
}
