import Foundation
import Spec
import Stats
import Storage

extension ExperimentReportData {
    /// What the report is asked for besides the experiment's name.
    struct Request {
        var since: Date?
        var until: Date?
        var onlyMetric: String?
        /// A context key to break results down by.
        var segment: String?
        /// Length of CUPED's pre-period before the experiment's start, in seconds.
        var prePeriod: TimeInterval = 14 * 86_400
    }

    /// Reads the experiment and its statistics and runs the analysis.
    static func load(name: String, store: ExperimentStore, evaluator: Evaluator, request: Request) throws -> ExperimentReportData {
        guard let stored = try store.version(name) else {
            throw ReportError("There is no experiment called \"\(name)\"; see `abctl list`")
        }
        let spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        guard let control = spec.control?.key ?? spec.arms.first?.key else { throw ReportError("The experiment has no arms") }
        var metricNames = spec.metrics.all.filter { $0.kind != .recall }
        if let only = request.onlyMetric {
            metricNames = metricNames.filter { $0.description == only }
            guard !metricNames.isEmpty else {
                throw ReportError(
                    "The experiment does not measure \(only); it measures \(spec.metrics.all.map(\.description).joined(separator: ", "))"
                )
            }
        }
        var (covariate, covariateProblem) = (PrePeriodCovariate?.none, String?.none)
        if let cupedName = spec.analysis.cuped,
            let start = try spec.schedule.start ?? request.since ?? evaluator.firstImpressionTime(experiment: name)
        {
            do {
                covariate = try PrePeriodCovariate(named: cupedName, start: start, lookback: request.prePeriod)
            } catch {
                covariateProblem = error.description
            }
        }
        // One evaluator pass per distinct K (ranking metrics at different cut-offs).
        var cells: [String: [ReportCell]] = [:]
        for k in Set(metricNames.map { $0.k ?? spec.metrics.k }) {
            let settings = Evaluator.Settings(
                k: k,
                attributionWindow: Double(spec.metrics.attributionWindow.seconds),
                gains: spec.metrics.gains,
                exponentialGain: spec.metrics.gain == .exponential,
                since: request.since ?? .distantPast,
                until: request.until ?? .distantFuture
            )
            for cell in try evaluator.reportCells(experiment: name, settings: settings, segment: request.segment, covariate: covariate) {
                guard let metric = metricNames.first(where: { MetricMapping.sqlName(of: $0) == cell.metric && ($0.k ?? spec.metrics.k) == k }) else {
                    continue
                }
                cells[metric.description, default: []].append(cell)
            }
        }
        let metrics = metricNames.map { MetricMapping.metricSpec($0, spec: spec) }
        let arms = spec.arms.map(\.key)
        let analysis = ReportAnalysis(
            metrics: metrics,
            arms: arms,
            controlArm: control,
            settings: AnalysisSettings(alpha: spec.analysis.alpha, sequential: spec.analysis.sequential),
            correction: MetricMapping.correction(spec.analysis.correction),
            method: AnalysisMethod.choose(periodsWithUnits: Set(cells.values.flatMap { $0.map(\.period) }))
        )
        let allocations = try store.allocationHistory(name)
        let periods = allocationPeriods(cells: metrics.first.flatMap { cells[$0.name] } ?? [], allocations: allocations, arms: arms)
        var cuped = covariate.map { CUPEDSummary.compute(covariate: $0, cells: cells, analysis: analysis) }
        if let cupedName = spec.analysis.cuped, cuped == nil {
            let note = covariateProblem ?? "No impressions yet, so there is no pre-period"
            cuped = CUPEDSummary(covariate: cupedName, source: "", note: note + "; CUPED was not applied.", adjustments: [])
        }
        return ExperimentReportData(
            experiment: name,
            version: stored.version,
            since: request.since,
            until: request.until,
            generatedAt: Date(),
            controlArm: control,
            arms: arms,
            analysisMethod: analysis.method,
            armSummaries: summaries(metrics: metrics, arms: arms, cells: cells),
            report: analysis.report(cells, allocationPeriods: periods),
            allocations: allocations.map {
                AllocationPoint(version: $0.version, effectiveFrom: $0.effectiveFrom, policy: $0.policy, weights: $0.weights)
            },
            segments: request.segment.map { SegmentBreakdown.compute(key: $0, cells: cells, analysis: analysis) },
            cuped: cuped,
            cumulativeLift: CumulativeLift.compute(cells: cells, analysis: analysis)
        )
    }
}
