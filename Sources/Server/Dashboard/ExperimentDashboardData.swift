import Foundation
import PostgresClient
import Spec
import Stats
import Storage

/// What /dashboard/NAME shows: the experiment's per-arm metrics with intervals, the
/// statistical report with its verdicts, and the allocation history. The numbers come from
/// the same Storage.Evaluator and Stats calls, in the same order, as `abctl report`
/// (Sources/CLI/Report/ExperimentReportData.swift), so both show the same values.
struct ExperimentDashboardData: Sendable {
    /// One arm's value of one metric with its interval.
    struct ArmSummary: Sendable {
        var arm: String
        var units: Double
        /// The metric's mean (nil with no units).
        var mean: Double?
        /// mean ± z·√(Var/n) at the spec's alpha, nil with fewer than two units.
        var interval: Interval?
    }

    var experiment: String
    var version: Int
    var status: String
    var controlArm: String
    var arms: [String]
    /// Confidence level of the intervals, e.g. 0.95.
    var confidence: Double
    /// Metric names, primary first, as the report orders them.
    var metrics: [String]
    var summaries: [String: [ArmSummary]]
    var report: ExperimentReport
    var allocations: [ExperimentStore.AllocationRecord]

    /// Reads `name` over all its impressions; nil when there is no such experiment.
    static func load(name: String, on db: PostgresConnection) throws -> ExperimentDashboardData? {
        let store = ExperimentStore(connection: db)
        guard let stored = try store.version(name) else { return nil }
        let spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        guard let control = spec.control?.key ?? spec.arms.first?.key else {
            throw DashboardError("Experiment \(name) has no arms; apply a spec with at least two")
        }
        let metricNames = spec.metrics.all.filter { $0.kind != .recall }
        let cells = try evaluatorCells(name: name, spec: spec, metricNames: metricNames, evaluator: Evaluator(connection: db))
        let arms = spec.arms.map(\.key)
        let z = Normal.quantile(1 - spec.analysis.alpha / 2)
        var data: [String: [ArmData]] = [:]
        var summaries: [String: [ArmSummary]] = [:]
        for metric in metricNames {
            let kind = MetricMapping.kind(of: metric)
            for arm in arms {
                let statistics = (cells[metric.description] ?? []).filter { $0.arm == arm }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                data[metric.description, default: []].append(ArmData(arm: arm, statistics: statistics))
                let estimate = statistics.estimate(kind: kind)
                let mean = statistics.count > 0 && estimate.mean.isFinite ? estimate.mean : nil
                let halfWidth = z * estimate.varianceOfMean.squareRoot()
                summaries[metric.description, default: []].append(
                    ArmSummary(
                        arm: arm,
                        units: statistics.count,
                        mean: mean,
                        interval: mean != nil && statistics.count >= 2 && halfWidth.isFinite
                            ? Interval(lower: estimate.mean - halfWidth, upper: estimate.mean + halfWidth) : nil
                    )
                )
            }
        }
        let allocations = try store.allocationHistory(name)
        let report = ExperimentAnalysis.compute(
            metrics: metricNames.map { MetricMapping.metricSpec($0, spec: spec) },
            arms: arms,
            controlArm: control,
            data: data,
            allocationPeriods: allocationPeriods(cells: cells.values.first ?? [], allocations: allocations, arms: arms),
            settings: AnalysisSettings(
                alpha: spec.analysis.alpha,
                sequential: spec.analysis.sequential,
                multipleTesting: spec.analysis.correction == .benjaminiHochberg ? .benjaminiHochberg : .holm
            )
        )
        let status = try store.statusHistory(name).last?.status ?? spec.status.rawValue
        return ExperimentDashboardData(
            experiment: name,
            version: stored.version,
            status: status,
            controlArm: control,
            arms: arms,
            confidence: 1 - spec.analysis.alpha,
            metrics: metricNames.map(\.description),
            summaries: summaries,
            report: report,
            allocations: allocations
        )
    }

    /// The evaluator's cells per metric name, one pass per distinct K, as the report reads them.
    static func evaluatorCells(
        name: String,
        spec: ExperimentSpec,
        metricNames: [MetricName],
        evaluator: Evaluator
    ) throws -> [String: [Evaluator.Cell]] {
        var cells: [String: [Evaluator.Cell]] = [:]
        for k in Set(metricNames.map { $0.k ?? spec.metrics.k }) {
            let settings = Evaluator.Settings(
                k: k,
                attributionWindow: Double(spec.metrics.attributionWindow.seconds),
                gains: spec.metrics.gains,
                exponentialGain: spec.metrics.gain == .exponential
            )
            for cell in try evaluator.cells(experiment: name, settings: settings) {
                guard
                    let metric = metricNames.first(where: { MetricMapping.sqlName(of: $0) == cell.metric && ($0.k ?? spec.metrics.k) == k })
                else { continue }
                cells[metric.description, default: []].append(cell)
            }
        }
        return cells
    }

    /// Units per arm in each allocation period against the weights in force then, for the
    /// sample-ratio-mismatch check (the report's `allocationPeriods`).
    static func allocationPeriods(cells: [Evaluator.Cell], allocations: [ExperimentStore.AllocationRecord], arms: [String]) -> [AllocationPeriod]? {
        guard !cells.isEmpty else { return nil }
        let byVersion = Dictionary(allocations.map { ($0.version, $0.weights) }, uniquingKeysWith: { first, _ in first })
        var periods: [AllocationPeriod] = []
        for period in Set(cells.map(\.period)).sorted() {
            guard let weights = byVersion[period] else { continue }
            let counts = arms.map { arm in cells.filter { $0.period == period && $0.arm == arm }.reduce(0) { $0 + $1.statistics.count } }
            periods.append(AllocationPeriod(unitCounts: counts, weights: arms.map { weights[$0] ?? 0 }))
        }
        return periods.isEmpty ? nil : periods
    }
}

/// A dashboard page that cannot be made, as a sentence.
struct DashboardError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
