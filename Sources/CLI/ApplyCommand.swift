import ArgumentParser
import Foundation
import PostgresClient
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
        let connection = try database.connect()
        try Self.checkSQLSources(paths: paths, report: report, connection: connection)
        let store = ExperimentStore(connection: connection)
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

    /// Asks PostgreSQL to describe every SQL source of the specs (as abctl_reader, read-only;
    /// `validate` cannot, having no database) and refuses them all, storing nothing, when one
    /// is not a query returning unit_id, timestamp and value.
    static func checkSQLSources(paths: [String], report: ValidationReport, connection: PostgresConnection) throws {
        var findings: [Finding] = []
        for path in paths {
            guard let spec = report.specs[path] else { continue }
            for metric in spec.metrics.definitions {
                guard let sql = metric.sql else { continue }
                do {
                    try OutcomeSQLSource.check(sql, on: connection)
                } catch let problem as OutcomeSQLSource.Problem {
                    let location = Self.location(of: sql, in: path)
                    findings.append(Finding(at: location, "'metrics.definitions.\(metric.name).source.sql': \(problem.description)."))
                }
            }
        }
        if !findings.isEmpty { throw SpecFindingsError(findings: findings) }
    }

    /// Where `sql` starts in the spec file (its first line's text), else the file's start.
    private static func location(of sql: String, in path: String) -> SourceLocation {
        let first = sql.split(separator: "\n").first.map(String.init) ?? sql
        if case .text(let text) = SpecFiles.read(path) {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let range = line.range(of: first) {
                    return SourceLocation(file: path, line: number + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 1)
                }
            }
        }
        return SourceLocation(file: path, line: 1, column: 1)
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
