import ArgumentParser
import Engine
import Foundation
import Metrics
import Remote
import Spec
import Storage
import Strategies

/// `abctl eval --strategy … | --spec FILE`: strategies fitted on a split of the interactions
/// in PostgreSQL and scored on the held-out part, one row per strategy.
struct StrategyEvaluationOptions: ParsableArguments {
    enum SplitKind: String, ExpressibleByArgument, CaseIterable {
        case leaveLastOut = "leave-last-out"
        case time
    }

    @Option(help: "A strategy to evaluate: NAME or NAME:param=value,… (repeatable; a hybrid: hybrid:mode=fallback,components=item_knn,popularity).")
    var strategy: [StrategyArgument] = []

    @Option(name: .customLong("spec"), help: "Evaluate every arm of this spec.")
    var specFile: String?

    @Option(
        help: """
            leave-last-out (each unit's last interaction is the test; of several at the same time, the one \
            imported last) or time (the last --test-days).
            """
    )
    var split: SplitKind = .leaveLastOut

    @Option(help: "With --split time: days at the end held out for testing.")
    var testDays: Double = 7

    @OptionGroup var database: DatabaseOptions

    var isSelected: Bool { !strategy.isEmpty || specFile != nil }

    func evaluate(metrics: [RankingMetric], cutoffs: [Int], format: ReportFormat) throws -> String {
        var candidates: [(label: String, strategy: any RecommendationStrategy)] = try strategy.map { ($0.description, try $0.make()) }
        if let specFile {
            let report = SpecFiles.validate([specFile])
            guard let spec = report.specs[specFile], !report.hasErrors else {
                throw SpecFindingsError(findings: report.findings.filter { $0.severity == .error })
            }
            for arm in spec.arms {
                candidates.append(("\(arm.key) (\(arm.strategy))", try EdgeStrategyFactory.make(arm)))
            }
        }
        let data = TrainingDataStore(connection: try database.connect())
        let interactions = try data.interactions()
        guard interactions.count >= 2 else {
            throw ValidationError("There are too few interactions to split; load some with `abctl import interactions FILE`")
        }
        let catalogue = try data.catalogue(including: interactions)
        let split: OfflineSplit =
            switch self.split {
            case .leaveLastOut: .leaveLastOut
            case .time: .time(cutoff: (interactions.map(\.time).max() ?? 0) - testDays * 86_400)
            }
        let (train, test) = split.apply(interactions)
        guard !test.isEmpty else { throw ValidationError("The split leaves no test units; try another --split or --test-days") }
        let evaluation = OfflineEvaluation(metrics: metrics, k: cutoffs.max() ?? 10, clock: Self.monotonicSeconds)
        var rows: [OfflineEvaluation.Row] = []
        for candidate in candidates {
            rows.append(try evaluation.evaluate(candidate.strategy, label: candidate.label, train: train, test: test, catalogue: catalogue))
        }
        return OfflineReport(rows: rows, metricNames: metrics.map(\.description), trainSize: train.count).rendered(format)
    }

    /// Seconds since boot by the monotonic clock, the fit timer of every evaluation.
    static let monotonicSeconds: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// One row per strategy, as a table, JSON or CSV; "fit seconds" (`fitSeconds` in JSON) is each strategy's fit time
/// (the wall time of `fit` alone, without loading, splitting or recommending).
struct OfflineReport {
    var rows: [OfflineEvaluation.Row]
    var metricNames: [String]
    var trainSize: Int

    func rendered(_ format: ReportFormat) -> String {
        let header = ["strategy", "test units"] + metricNames + ["coverage", "popularity", "fit seconds"]
        let cells = rows.map { row in
            [row.strategy, "\(row.testUnits)"] + metricNames.map { String(format: "%.4f", row.metrics[$0] ?? 0) }
                + [String(format: "%.4f", row.coverage), String(format: "%.4f", row.popularityPercentile)]
                + [row.fitSeconds.map { String(format: "%.4f", $0) } ?? ""]
        }
        switch format {
        case .table:
            return "trained on \(trainSize) interactions\n" + TextTable.render(header: header, rows: cells)
        case .csv:
            return ([header] + cells).map { $0.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") }.joined(separator: "\n")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return (try? encoder.encode(rows)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        }
    }
}
