import ArgumentParser
import Foundation
import Stats

/// `abctl calibrate`: the seeded calibration of the report's estimators under adaptive
/// allocation (docs/statistics.md, "Adaptive allocation").
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Simulate A/A and A/B experiments under bandit-like allocations and print how each estimator's intervals cover the truth.",
        discussion: """
            Each scenario runs --experiments seeded experiments; every method analyses the same data. \
            Coverage is the share of experiments whose fixed 95% interval holds the true lift; bias is the mean \
            error over the estimates' standard deviation; rejections are the fixed test's at the end and the \
            always-valid test's at any look (one per period). In A/A scenarios rejections are false positives.
            Example: abctl calibrate --experiments 4000 --seed 17 --format markdown
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, markdown, json
    }

    @Option(help: "Simulated experiments per scenario.")
    var experiments: Int = 2000

    @Option(help: "The seed; scenario i uses seed + i.")
    var seed: UInt64 = 17

    @Option(help: "Multiply every scenario's units per period (smaller is faster).")
    var scale: Double = 1

    @Option(help: "Only scenarios whose name contains this text.")
    var scenario: String?

    @Option(
        help:
            "Methods, comma separated: \(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")); default all but the own-variance variant."
    )
    var methods: String?

    @Option(help: "Output: table, markdown or json.")
    var format: Format = .table

    func validate() throws {
        guard experiments >= 1 else { throw ValidationError("--experiments must be at least 1; it was \(experiments).") }
        guard scale > 0, scale.isFinite else { throw ValidationError("--scale must be a positive number; it was \(scale).") }
        _ = try chosenMethods()
    }

    func chosenMethods() throws -> [CalibrationMethod] {
        guard let methods else { return CalibrationMethod.allCases.filter { $0 != .postStratifiedOwnVariance } }
        return try methods.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let method = CalibrationMethod(rawValue: trimmed) else {
                throw ValidationError(
                    "--methods: unknown method \"\(trimmed)\"; choose from \(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            return method
        }
    }

    func run() throws {
        let methods = try chosenMethods()
        let scenarios = CalibrationScenario.catalog(scale: scale).filter { scenario.map($0.name.contains) ?? true }
        guard !scenarios.isEmpty else { throw ValidationError("--scenario: no scenario's name contains \"\(scenario ?? "")\".") }
        var results: [CalibrationResult] = []
        for (index, item) in scenarios.enumerated() {
            let rows = Calibration.run(scenario: item, methods: methods, experiments: experiments, seed: seed &+ UInt64(index))
            results += rows
            if format == .table { print(Self.table(rows), terminator: "\n\n") }
        }
        switch format {
        case .table: break
        case .markdown: print(Self.markdown(results))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        }
    }

    static func cells(_ r: CalibrationResult) -> [String] {
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func se(_ x: Double) -> String { String(format: "%+.3f", x) }
        return [
            r.method, pct(r.absoluteCoverage), pct(r.relativeCoverage), se(r.absoluteBias), se(r.relativeBias),
            pct(r.fixedRejection), pct(r.sequentialRejection), pct(r.sequentialCoverage), "\(r.untestable)",
        ]
    }

    static let header = [
        "method", "abs. coverage", "rel. coverage", "abs. bias (SD)", "rel. bias (SD)", "fixed rejects", "always-valid rejects",
        "always-valid coverage", "untestable",
    ]

    static func table(_ rows: [CalibrationResult]) -> String {
        guard let first = rows.first else { return "" }
        return "\(first.scenario) (\(first.experiments) experiments)\n" + TextTable.render(header: header, rows: rows.map(cells))
    }

    static func markdown(_ rows: [CalibrationResult]) -> String {
        var lines = ["| scenario | " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count + 1)]
        for r in rows { lines.append("| \(r.scenario) | " + cells(r).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}
