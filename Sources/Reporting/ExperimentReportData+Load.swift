import Foundation
import PostgresClient
import Spec
import Stats
import Storage

extension ExperimentReportData {
    /// What the report is asked for besides the experiment's name.
    public struct Request: Sendable {
        /// Only impressions at or after this time.
        public var since: Date?
        /// Only impressions before this time.
        public var until: Date?
        /// Only this metric, as the spec names it (e.g. ndcg@10).
        public var onlyMetric: String?
        /// A context key to break results down by.
        public var segment: String?
        /// Length of CUPED's pre-period before the experiment's start, in seconds.
        public var prePeriod: TimeInterval
        /// Recompute from the raw logs (every impression, as an audit) instead of reading the
        /// maintained aggregates.
        public var full: Bool

        /// The whole experiment, every metric, no segments, a 14-day CUPED pre-period.
        public init(
            since: Date? = nil,
            until: Date? = nil,
            onlyMetric: String? = nil,
            segment: String? = nil,
            prePeriod: TimeInterval = 14 * 86_400,
            full: Bool = false
        ) {
            self.full = full
            self.since = since
            self.until = until
            self.onlyMetric = onlyMetric
            self.segment = segment
            self.prePeriod = prePeriod
        }
    }

    /// Reads the experiment and its statistics over `connection` and runs the analysis.
    /// The caller chooses the connection (the dashboard's is read-only, as abctl_reader);
    /// `generatedAt` is the report's time stamp and the right end of its charts.
    public static func load(
        name: String,
        connection: PostgresConnection,
        request: Request = Request(),
        generatedAt: Date = Date()
    ) throws -> ExperimentReportData {
        let store = ExperimentStore(connection: connection)
        let evaluator = Evaluator(connection: connection)
        guard let stored = try store.version(name) else {
            throw ReportError("There is no experiment called \"\(name)\"; see `abctl list`", code: .noSuchExperiment)
        }
        let spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        guard let control = spec.control?.key ?? spec.arms.first?.key else {
            throw ReportError("The experiment \(name) has no arms; apply a spec with at least two", code: .noArms)
        }
        var metricNames = spec.metrics.all.filter { $0.kind != .recall }
        // Declared metrics (docs/metrics.md) are reported after the built-in ones.
        var declared = spec.metrics.definitions
        if let only = request.onlyMetric {
            metricNames = metricNames.filter { $0.description == only }
            declared = declared.filter { $0.name == only }
            guard !metricNames.isEmpty || !declared.isEmpty else {
                let measured = spec.metrics.all.map(\.description) + spec.metrics.definitions.map(\.name)
                throw ReportError(
                    "The experiment does not measure \(only); it measures \(measured.joined(separator: ", "))",
                    code: .unmeasuredMetric
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
        let (cells, freshness) = try cellsAndFreshness(
            name: name,
            spec: spec,
            metricNames: metricNames,
            declared: declared,
            request: request,
            covariate: covariate,
            evaluator: evaluator,
            outcomes: OutcomeMetricEvaluator(connection: connection)
        )
        let metrics = metricNames.map { MetricMapping.metricSpec($0, spec: spec) } + declared.map(MetricMapping.metricSpec)
        let arms = spec.arms.map(\.key)
        let analysis = ReportAnalysis(
            metrics: metrics,
            arms: arms,
            controlArm: control,
            settings: AnalysisSettings(alpha: spec.analysis.alpha, sequential: spec.analysis.sequential),
            correction: MetricMapping.correction(spec.analysis.correction),
            method: AnalysisMethod.choose(periodsWithUnits: Set(cells.values.flatMap { $0.map(\.period) }))
        )
        let allocations = try store.allocationHistory(name).map {
            AllocationPoint(version: $0.version, effectiveFrom: $0.effectiveFrom, policy: $0.policy, weights: $0.weights)
        }
        let periods = allocationPeriods(cells: metrics.first.flatMap { cells[$0.name] } ?? [], allocations: allocations, arms: arms)
        var cuped = covariate.map { CUPEDSummary.compute(covariate: $0, cells: cells, analysis: analysis) }
        if let cupedName = spec.analysis.cuped, cuped == nil {
            let note = covariateProblem ?? "No impressions yet, so there is no pre-period"
            cuped = CUPEDSummary(covariate: cupedName, source: "", note: note + "; CUPED was not applied.", adjustments: [])
        }
        return ExperimentReportData(
            experiment: name,
            version: stored.version,
            status: try store.statusHistory(name).last?.status ?? spec.status.rawValue,
            since: request.since,
            until: request.until,
            generatedAt: generatedAt,
            controlArm: control,
            arms: arms,
            metrics: metrics.map(\.name),
            confidenceLevel: 1 - spec.analysis.alpha,
            analysisMethod: analysis.method,
            armSummaries: summaries(metrics: metrics, arms: arms, cells: cells, confidenceLevel: 1 - spec.analysis.alpha, method: analysis.method),
            report: analysis.report(cells, allocationPeriods: periods),
            allocations: allocations,
            segments: request.segment.map { key in
                // Declared metrics have no segments (their cells carry none): the breakdown is of the built-in ones.
                var builtIn = analysis
                builtIn.metrics.removeAll { metric in declared.contains { $0.name == metric.name } }
                return SegmentBreakdown.compute(
                    key: key,
                    cells: cells.filter { entry in !declared.contains { $0.name == entry.key } },
                    analysis: builtIn
                )
            },
            cuped: cuped,
            cumulativeLift: CumulativeLift.compute(cells: cells, analysis: analysis),
            freshness: freshness
        )
    }

    /// The maintained aggregates' cells when they can answer the request (the whole
    /// experiment, no segment, no CUPED, refreshed for the spec's metric definitions),
    /// otherwise a full recomputation, with a note saying why.
    private static func cellsAndFreshness(
        name: String,
        spec: ExperimentSpec,
        metricNames: [MetricName],
        declared: [OutcomeMetric],
        request: Request,
        covariate: PrePeriodCovariate?,
        evaluator: Evaluator,
        outcomes: OutcomeMetricEvaluator
    ) throws -> ([String: [ReportCell]], ReportFreshness) {
        let wanted = Set(declared.map(\.name))
        let reason: String? =
            if request.full { "asked for (--full)" } else if request.since != nil || request.until != nil {
                "--since and --until are answered from the raw logs"
            } else if request.segment != nil { "segments are answered from the raw logs" } else if covariate != nil {
                "CUPED's covariate is read from the raw logs"
            } else { nil }
        if reason == nil {
            var cells: [String: [ReportCell]] = [:]
            var freshness: ReportFreshness?
            var complete = true
            for k in Set(metricNames.map { $0.k ?? spec.metrics.k }).sorted() {
                guard let maintained = try evaluator.maintainedReportCells(MetricDefinition(experiment: name, spec: spec, k: k)) else {
                    complete = false
                    break
                }
                for cell in maintained.cells {
                    guard let metric = metricNames.first(where: { MetricMapping.sqlName(of: $0) == cell.metric && ($0.k ?? spec.metrics.k) == k })
                    else {
                        continue
                    }
                    cells[metric.description, default: []].append(cell)
                }
                let until = min(freshness?.dataUntil ?? .distantFuture, maintained.freshness.dataUntil)
                let asOf = min(freshness?.dataAsOf ?? .distantFuture, maintained.freshness.refreshedAt)
                freshness = ReportFreshness(source: .maintained, dataUntil: until, dataAsOf: asOf)
            }
            // The declared metrics' maintained unit rows, when every source of the spec has them.
            if complete, !wanted.isEmpty {
                if let maintained = try outcomes.maintainedCells(experiment: name, spec: spec) {
                    cells.merge(maintained.cells.filter { wanted.contains($0.key) }) { $1 }
                    freshness =
                        freshness.map {
                            ReportFreshness(source: .maintained, dataUntil: $0.dataUntil, dataAsOf: min($0.dataAsOf, maintained.refreshedAt))
                        }
                        ?? ReportFreshness(source: .maintained, dataUntil: nil, dataAsOf: maintained.refreshedAt)
                } else {
                    complete = false
                }
            }
            if complete, let freshness { return (cells, freshness) }
        }
        let asOf = try evaluator.databaseTime()
        var cells = try reportCells(name: name, spec: spec, metricNames: metricNames, request: request, covariate: covariate, evaluator: evaluator)
        if !wanted.isEmpty {
            let full = try outcomes.fullCells(
                experiment: name,
                spec: spec,
                since: request.since ?? .distantPast,
                until: request.until ?? .distantFuture
            )
            cells.merge(full.filter { wanted.contains($0.key) }) { $1 }
        }
        let note = reason ?? "the maintained aggregates of this spec have not been refreshed yet; run abctl refresh or abctl serve"
        return (cells, ReportFreshness(source: .full, dataUntil: nil, dataAsOf: asOf, note: note))
    }

    /// The evaluator's cells per metric name (as the spec writes it), one pass per distinct K
    /// (ranking metrics at different cut-offs).
    private static func reportCells(
        name: String,
        spec: ExperimentSpec,
        metricNames: [MetricName],
        request: Request,
        covariate: PrePeriodCovariate?,
        evaluator: Evaluator
    ) throws -> [String: [ReportCell]] {
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
        return cells
    }
}
