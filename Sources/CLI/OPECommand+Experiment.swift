import ArgumentParser
import Foundation
import Metrics
import Spec
import Storage

/// Settings of `--experiment` input: the reward and its attribution, the time range.
struct OPELogOptions: ParsableArguments {
    @Option(
        help:
            "Reward per impression: a metric (ctr, conversion, revenue_per_unit, ndcg@K, precision@K, mrr, hit@K); default the spec's primary metric, else ctr."
    )
    var reward: String?

    @Option(help: "Attribution window in seconds (default the spec's, else 86400).")
    var window: Double?

    @Option(help: "Only impressions at or after this time (ISO 8601).")
    var since: String?

    @Option(help: "Only impressions before this time (ISO 8601; default now).")
    var until: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let reward, OffPolicyReward(metric: reward) == nil {
            throw ValidationError("--reward '\(reward)' is not a metric; use ctr, conversion, revenue_per_unit, ndcg@K, precision@K, mrr or hit@K")
        }
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, ReportCommand.parseTime(value) == nil {
                throw ValidationError("\(flag) \(value) is not a time; use ISO 8601 such as 2026-11-29T00:00:00Z")
            }
        }
        if let window, !(window > 0) { throw ValidationError("--window must be a positive number of seconds") }
    }
}

extension OPECommand {
    /// `--experiment`: arm-level evaluation streamed from PostgreSQL.
    func evaluateExperiment() throws -> OPEReport {
        guard let experiment, let candidate else { throw ValidationError("give --experiment NAME and --candidate") }
        let connection = try logOptions.database.connect()
        var spec: ExperimentSpec?
        if case .spec(let path) = candidate {
            let report = SpecFiles.validate([path])
            guard let loaded = report.specs[path], !report.hasErrors else {
                throw SpecFindingsError(findings: report.findings.filter { $0.severity == .error })
            }
            spec = loaded
        } else if let stored = try ExperimentStore(connection: connection).version(experiment) {
            spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        }
        let policy: ArmPolicy
        switch candidate {
        case .spec:
            policy = try ArmPolicy(weights: spec?.initialWeights ?? [:])
        case .arm, .weights:
            policy = try ArmPolicy(weights: candidate.fixedWeights ?? [:])
        case .columns:
            throw ValidationError("--candidate columns reads pi_ columns of a CSV; use it with --csv")
        case .strategy, .model:
            return try evaluateItemLevel(experiment: experiment, spec: spec, connection: connection)
        }
        let settings = try readerSettings(experiment: experiment, spec: spec, itemLevel: false)
        let result = try ArmLevelEvaluation(reader: OffPolicyLogReader(connection: connection, settings: settings), candidate: policy).run(
            try selectedEstimators(),
            options: evaluationOptions(featureCount: settings.features.count),
            interval: intervalMethod
        )
        return OPEReport(
            source: "experiment \(experiment), reward \(settings.reward) (candidate \(policy))",
            decisions: result.decisions,
            actions: result.arms,
            features: settings.features.map(\.description),
            rewardModel: evaluationOptions(featureCount: settings.features.count).rewardModel,
            interval: intervalMethod,
            confidence: confidence,
            estimates: result.estimates
        )
    }

    /// What to read: the reward (top item's grade at item level, else --reward, the spec's primary
    /// metric or ctr) with the spec's attribution settings, the features and the time range.
    func readerSettings(experiment: String, spec: ExperimentSpec?, itemLevel: Bool) throws -> OffPolicyLogReader.Settings {
        let metric = logOptions.reward ?? spec?.metrics.primary.description ?? "ctr"
        guard let reward = itemLevel ? .topItem : OffPolicyReward(metric: metric) else {
            throw ValidationError("the reward metric \(metric) has no per-impression value; give --reward ctr, conversion, ndcg@K, …")
        }
        let k = metric.split(separator: "@").dropFirst().first.flatMap { Int($0) } ?? spec?.metrics.k ?? 10
        let featureNames = features ?? spec.map(Self.contextualFeatures)?.joined(separator: ",") ?? ""
        guard let contextFeatures = featureNames.isEmpty ? [] : ContextFeature.parseList(featureNames) else {
            throw ValidationError("--features '\(featureNames)' is not a list of keys or key=value indicators")
        }
        return OffPolicyLogReader.Settings(
            experiment: experiment,
            reward: reward,
            features: contextFeatures,
            k: k,
            attributionWindow: logOptions.window ?? spec.map { Double($0.metrics.attributionWindow.seconds) } ?? 86_400,
            gains: spec?.metrics.gains ?? ["click": 1, "add_to_cart": 2, "purchase": 3],
            exponentialGain: spec.map { $0.metrics.gain == .exponential } ?? false,
            since: logOptions.since.flatMap(ReportCommand.parseTime) ?? .distantPast,
            until: logOptions.until.flatMap(ReportCommand.parseTime) ?? Date(),
            includesItems: itemLevel
        )
    }

    /// A contextual bandit's `allocation.params.features`, the context keys the spec already names.
    static func contextualFeatures(_ spec: ExperimentSpec) -> [String] {
        guard case .list(let values)? = spec.allocation.bandit?.params["features"] else { return [] }
        return values.compactMap { if case .text(let name) = $0 { name } else { nil } }
    }
}
