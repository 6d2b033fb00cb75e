import Foundation
import Spec
import Stats
import Storage

/// Everything `abctl report` shows about one experiment: the stored spec, the evaluator's
/// per-arm statistics, the statistical report and the allocation history.
struct ExperimentReportData: Codable {
    var experiment: String
    var version: Int
    var since: Date?
    var until: Date?
    var generatedAt: Date
    var controlArm: String
    var arms: [String]
    /// Per metric name, per arm: units and the mean of the metric.
    var armSummaries: [String: [ArmSummary]]
    var report: ExperimentReport
    var allocations: [AllocationPoint]

    struct ArmSummary: Codable {
        var arm: String
        var units: Double
        var mean: Double?
        /// Beta posterior parameters for proportion metrics (successes + 1, failures + 1).
        var posteriorAlpha: Double?
        var posteriorBeta: Double?
    }

    struct AllocationPoint: Codable {
        var version: Int64
        var effectiveFrom: Date
        var policy: String
        var weights: [String: Double]
    }

    /// Reads the experiment and its statistics and runs the analysis.
    static func load(
        name: String,
        store: ExperimentStore,
        evaluator: Evaluator,
        since: Date?,
        until: Date?,
        onlyMetric: String?
    ) throws -> ExperimentReportData {
        guard let stored = try store.version(name) else {
            throw ReportError("There is no experiment called \"\(name)\"; see `abctl list`")
        }
        let spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        guard let control = spec.control?.key ?? spec.arms.first?.key else { throw ReportError("The experiment has no arms") }
        var metricNames = spec.metrics.all.filter { $0.kind != .recall }
        if let onlyMetric {
            metricNames = metricNames.filter { $0.description == onlyMetric }
            guard !metricNames.isEmpty else {
                throw ReportError(
                    "The experiment does not measure \(onlyMetric); it measures \(spec.metrics.all.map(\.description).joined(separator: ", "))"
                )
            }
        }
        // One evaluator pass per distinct K (ranking metrics at different cut-offs).
        var cells: [String: [Evaluator.Cell]] = [:]
        for k in Set(metricNames.map { $0.k ?? spec.metrics.k }) {
            let settings = Evaluator.Settings(
                k: k,
                attributionWindow: Double(spec.metrics.attributionWindow.seconds),
                gains: spec.metrics.gains,
                exponentialGain: spec.metrics.gain == .exponential,
                since: since ?? .distantPast,
                until: until ?? .distantFuture
            )
            for cell in try evaluator.cells(experiment: name, settings: settings) {
                guard let metric = metricNames.first(where: { MetricMapping.sqlName(of: $0) == cell.metric && ($0.k ?? spec.metrics.k) == k }) else {
                    continue
                }
                cells[metric.description, default: []].append(cell)
            }
        }
        var data: [String: [ArmData]] = [:]
        var summaries: [String: [ArmSummary]] = [:]
        for metric in metricNames {
            let kind = MetricMapping.kind(of: metric)
            for arm in spec.arms.map(\.key) {
                let statistics = (cells[metric.description] ?? []).filter { $0.arm == arm }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                data[metric.description, default: []].append(ArmData(arm: arm, statistics: statistics))
                let mean = statistics.estimate(kind: kind).mean
                summaries[metric.description, default: []].append(
                    ArmSummary(
                        arm: arm,
                        units: statistics.count,
                        mean: statistics.count > 0 && mean.isFinite ? mean : nil,
                        posteriorAlpha: kind == .proportion ? statistics.sum + 1 : nil,
                        posteriorBeta: kind == .proportion ? statistics.count - statistics.sum + 1 : nil
                    )
                )
            }
        }
        let allocations = try store.allocationHistory(name)
        let report = ExperimentAnalysis.compute(
            metrics: metricNames.map { MetricMapping.metricSpec($0, spec: spec) },
            arms: spec.arms.map(\.key),
            controlArm: control,
            data: data,
            allocationPeriods: allocationPeriods(cells: cells.values.first ?? [], allocations: allocations, arms: spec.arms.map(\.key)),
            settings: AnalysisSettings(
                alpha: spec.analysis.alpha,
                sequential: spec.analysis.sequential,
                multipleTesting: spec.analysis.correction == .benjaminiHochberg ? .benjaminiHochberg : .holm
            )
        )
        return ExperimentReportData(
            experiment: name,
            version: stored.version,
            since: since,
            until: until,
            generatedAt: Date(),
            controlArm: control,
            arms: spec.arms.map(\.key),
            armSummaries: summaries,
            report: report,
            allocations: allocations.map {
                AllocationPoint(version: $0.version, effectiveFrom: $0.effectiveFrom, policy: $0.policy, weights: $0.weights)
            }
        )
    }

    /// Units per arm in each allocation period (from one metric's cells: every unit has every
    /// metric) against the weights in force then, for the sample-ratio-mismatch check.
    static func allocationPeriods(cells: [Evaluator.Cell], allocations: [ExperimentStore.AllocationRecord], arms: [String]) -> [AllocationPeriod]? {
        guard !cells.isEmpty else { return nil }
        let byVersion = Dictionary(allocations.map { ($0.version, $0.weights) }, uniquingKeysWith: { a, _ in a })
        var periods: [AllocationPeriod] = []
        for period in Set(cells.map(\.period)).sorted() {
            guard let weights = byVersion[period] else { continue }
            let counts = arms.map { arm in cells.filter { $0.period == period && $0.arm == arm }.reduce(0) { $0 + $1.statistics.count } }
            periods.append(AllocationPeriod(unitCounts: counts, weights: arms.map { weights[$0] ?? 0 }))
        }
        return periods.isEmpty ? nil : periods
    }
}

/// A report that cannot be made, as a sentence.
struct ReportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
