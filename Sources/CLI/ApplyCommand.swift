import ArgumentParser
import Foundation
import Spec
import Storage

/// `abctl apply FILES…`: stores each experiment as an immutable version; an unchanged
/// spec is a no-op, a changed one becomes the next version and its difference is shown.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Store experiment specs in PostgreSQL as versions (validates first; nothing is stored if any file is invalid)."
    )

    @Argument(help: "Spec files or folders of specs.")
    var files: [String]

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let paths = SpecFiles.expand(files)
        let report = SpecFiles.validate(paths)
        if report.hasErrors {
            throw SpecFindingsError(findings: report.findings.filter { $0.severity == .error })
        }
        let store = ExperimentStore(connection: try database.connect())
        for path in paths {
            guard let spec = report.specs[path] else { continue }
            // Validated above, so the file is UTF-8 text unless it changed in between.
            guard case .text(let source) = SpecFiles.read(path) else {
                throw SpecFindingsError(findings: [
                    Finding(at: SourceLocation(file: path, line: 1, column: 1), "The file changed while it was applied; apply it again.")
                ])
            }
            let outcome = try store.apply(
                name: spec.name,
                canonicalJSON: try spec.canonicalJSON(),
                source: source,
                status: spec.status.rawValue,
                arms: try spec.arms.map(Self.record),
                policy: spec.allocation.bandit?.policy.rawValue ?? "fixed",
                by: CurrentUser.name
            )
            switch outcome {
            case .unchanged(let version):
                print("\(spec.name): unchanged (version \(version))")
            case .created(let version, nil):
                print("\(spec.name): created version \(version)")
            case .created(let version, let previous?):
                print("\(spec.name): created version \(version)")
                if let old = try? ExperimentSpec(canonicalJSON: previous) {
                    for line in try SpecDiff(from: old, to: spec).lines { print("  \(line)") }
                }
            }
        }
    }

    static func record(_ arm: ArmSpec) throws -> ExperimentStore.ArmRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ExperimentStore.ArmRecord(
            key: arm.key,
            strategy: arm.strategy,
            parametersJSON: String(decoding: try encoder.encode(arm.params), as: UTF8.self),
            isControl: arm.isControl,
            initialWeight: arm.weight
        )
    }
}
