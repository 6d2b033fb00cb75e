import ArgumentParser
import Foundation
import Metrics

/// `abctl ope`: estimates how a candidate policy would have done from decisions already logged,
/// by inverse propensity scoring (plain and clipped), self-normalised IPS, the direct method and
/// doubly robust, each with an interval, the effective sample size and support warnings.
/// The logs are streamed, from PostgreSQL (`--experiment`) or a CSV file (`--csv`); docs/ope.md.
struct OPECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ope",
        abstract: "Estimate a candidate policy's value from logged decisions (IPS, SNIPS, DM, DR) before it gets traffic.",
        discussion: """
            From PostgreSQL: --experiment NAME reads the experiment's impressions (arm, propensity, context) with the
            reward of the spec's primary metric (or --reward); the candidate is a policy over arms. From a file:
            --csv FILE with columns action, reward, propensity, optional position, features x_* (or --features) and
            optionally the candidate's pi_<action> probabilities. Item level: --candidate strategy:NAME[:params] or
            model:ARM evaluates a strategy's top item against the logged item at position 1. Intervals: Poisson bootstrap (--bootstrap B) or,
            with --bootstrap 0, normal intervals from each estimator's influence. See docs/ope.md.
            """
    )

    @Option(help: "Evaluate on this experiment's logged impressions in PostgreSQL.")
    var experiment: String?

    @Option(help: ArgumentHelp("Evaluate on logged decisions in a CSV file.", valueName: "FILE"))
    var csv: String?

    @Option(help: "The candidate: arm:NAME, weights:a=0.2,b=0.8, spec:FILE, or columns (CSV pi_<action> columns).")
    var candidate: OPECandidate?

    @Option(help: "Comma-separated estimators: ips, snips, dm, dr.")
    var estimators = "ips,snips,dm,dr"

    @Option(help: "Also report IPS with importance weights clipped at C.")
    var clip: Double?

    @Option(help: "Poisson bootstrap replicates for the intervals; 0 gives normal intervals.")
    var bootstrap = 200

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 0

    @Option(help: "Interval confidence level.")
    var confidence = 0.95

    @Option(help: "Reward model of DM and DR: ridge (on the features) or mean (per action).")
    var rewardModel: OPERewardModel = .ridge

    @Option(help: "Ridge penalty of the reward model.")
    var ridgeLambda = 1.0

    @Option(help: "Context features: jsonb keys (key or key=value indicators) with --experiment, column names with --csv.")
    var features: String?

    @OptionGroup(title: "PostgreSQL input")
    var logOptions: OPELogOptions

    @OptionGroup(title: "CSV input")
    var csvOptions: OPECSVOptions

    @Option(help: "Folder of trained models for strategy: and model: candidates (default $ABCTL_MODELS, then ./.abctl/models).")
    var models: String?

    @Option(help: "Output format: table or json.")
    var format: OPEFormat = .table

    func validate() throws {
        guard (experiment == nil) != (csv == nil) else {
            throw ValidationError("give --experiment NAME or --csv FILE, not both and not neither")
        }
        if experiment != nil && candidate == nil { throw ValidationError("give the candidate with --candidate arm:NAME, weights:… or spec:FILE") }
        if experiment != nil, case .columns? = candidate {
            throw ValidationError("--candidate columns reads pi_ columns of a CSV; use it with --csv")
        }
        if csv != nil, candidate?.isItemLevel == true {
            throw ValidationError("--candidate \(candidate?.description ?? "") ranks items; use it with --experiment, or give pi_ columns in the CSV")
        }
        _ = try selectedEstimators()
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 (normal intervals) or a number of replicates") }
        guard confidence > 0 && confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1, e.g. 0.95") }
        if let clip, !(clip > 0) { throw ValidationError("--clip must be positive") }
        guard ridgeLambda >= 0 else { throw ValidationError("--ridge-lambda must be non-negative") }
        try logOptions.validate()
    }

    func run() throws {
        let report = try csv != nil ? evaluateCSV() : evaluateExperiment()
        print(format == .json ? report.json() : report.table(), terminator: "")
    }

    /// The estimators named by --estimators, with clipped IPS after plain IPS when --clip is given.
    func selectedEstimators() throws -> [OffPolicyEstimator] {
        var result: [OffPolicyEstimator] = []
        for name in estimators.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch name {
            case "ips": result.append(.inversePropensity())
            case "snips": result.append(.selfNormalizedInversePropensity)
            case "dm": result.append(.directMethod)
            case "dr": result.append(.doublyRobust)
            default: throw ValidationError("--estimators: unknown estimator '\(name)'; use ips, snips, dm, dr")
            }
        }
        if let clip {
            let position = result.firstIndex(of: .inversePropensity()).map { $0 + 1 } ?? 0
            result.insert(.inversePropensity(clip: clip), at: position)
        }
        guard !result.isEmpty else { throw ValidationError("--estimators names no estimator") }
        return result
    }

    /// Options shared by both inputs; the reward model is ridge only when there are features.
    func evaluationOptions(featureCount: Int) -> OffPolicyEvaluationOptions {
        let model: RewardModelKind = rewardModel == .ridge && featureCount > 0 ? .ridge(lambda: ridgeLambda) : .perActionMean
        return OffPolicyEvaluationOptions(rewardModel: model, bootstrapReplicates: max(bootstrap, 1), seed: seed, confidence: confidence)
    }

    var intervalMethod: StreamingIntervalMethod { bootstrap == 0 ? .normal : .poissonBootstrap(replicates: bootstrap) }

    /// `--csv`: checks every row, then streams the decisions once or twice.
    func evaluateCSV() throws -> OPEReport {
        guard let csv else { throw ValidationError("give --csv FILE") }
        var columns = csvOptions.columns
        if let features { columns.features = features.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let input = try OPECSVInput(path: csv, columns: columns, candidate: candidate, position: csvOptions.position)
        var evaluation = try StreamingOffPolicyEvaluation(
            try selectedEstimators(),
            actionCount: input.actions.count,
            featureCount: input.featureColumns.count,
            options: evaluationOptions(featureCount: input.featureColumns.count),
            interval: intervalMethod
        )
        if evaluation.needsRewardModelPass {
            try input.stream { decision, key in try evaluation.observeForRewardModel(decision, key: key) }
        }
        try input.stream { decision, key in try evaluation.observe(decision, key: key) }
        return OPEReport(
            source: csv,
            decisions: input.count,
            actions: input.actions,
            features: input.featureNames,
            rewardModel: evaluationOptions(featureCount: input.featureColumns.count).rewardModel,
            interval: intervalMethod,
            confidence: confidence,
            estimates: try evaluation.estimates()
        )
    }
}

/// `--reward-model`.
enum OPERewardModel: String, ExpressibleByArgument, CaseIterable {
    case ridge, mean
}

/// `--format`.
enum OPEFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Columns of `--csv` input.
struct OPECSVOptions: ParsableArguments {
    @Option(help: "CSV column of the logged action.")
    var actionColumn = "action"

    @Option(help: "CSV column of the reward.")
    var rewardColumn = "reward"

    @Option(help: "CSV column of the logging propensity of the action taken.")
    var propensityColumn = "propensity"

    @Option(help: "CSV column of the position (optional).")
    var positionColumn = "position"

    @Option(help: "Only rows at this position (the value as written in the position column).")
    var position: String?

    var columns: OPECSVInput.Columns {
        OPECSVInput.Columns(action: actionColumn, reward: rewardColumn, propensity: propensityColumn, position: positionColumn)
    }
}
