import Metrics

/// Arm-level off-policy evaluation straight from PostgreSQL: the action is the arm, the logging
/// propensity the logged probability that the arm was chosen, the candidate an `ArmPolicy`.
/// The logs are streamed (twice when DM or DR need the reward model), never held.
public struct ArmLevelEvaluation {
    /// The result: the actions (arms, sorted), how many impressions were read and the estimates.
    public struct Result: Sendable {
        public var arms: [String]
        public var decisions: Int
        public var estimates: [OffPolicyEstimate]
    }

    /// Where the logs come from.
    public let reader: OffPolicyLogReader
    /// The policy evaluated.
    public let candidate: ArmPolicy

    /// An evaluation of `candidate` on the logs `reader` reads.
    public init(reader: OffPolicyLogReader, candidate: ArmPolicy) {
        self.reader = reader
        self.candidate = candidate
    }

    /// Runs the estimators; the actions are the logged arms plus any the candidate names.
    public func run(
        _ estimators: [OffPolicyEstimator],
        options: OffPolicyEvaluationOptions = .init(),
        interval: StreamingIntervalMethod = .poissonBootstrap(replicates: 200),
        batchSize: Int = 10_000
    ) throws -> Result {
        let logged = try reader.arms()
        guard !logged.isEmpty else {
            throw StorageError(
                "experiment '\(reader.settings.experiment)' has no logged impressions in the time range",
                advice: "Check the experiment name and --since/--until"
            )
        }
        let arms = Array(Set(logged.map(\.arm)).union(candidate.probabilities.keys)).sorted()
        let index = Dictionary(uniqueKeysWithValues: arms.enumerated().map { ($1, $0) })
        let distribution = arms.map { candidate.probability(of: $0) }
        var evaluation = try StreamingOffPolicyEvaluation(
            estimators,
            actionCount: arms.count,
            featureCount: reader.settings.features.count,
            options: options,
            interval: interval
        )
        func decision(_ impression: LoggedImpression) throws -> LoggedDecision {
            // Every logged arm is in `index`: the arms come from the same range of the same table.
            guard let action = index[impression.arm] else {
                throw StorageError("impression \(impression.requestID) has arm '\(impression.arm)', which appeared after the evaluation started")
            }
            return LoggedDecision(
                context: impression.context,
                action: action,
                reward: impression.reward,
                loggingPropensity: impression.propensity,
                candidateDistribution: distribution
            )
        }
        if evaluation.needsRewardModelPass {
            try reader.stream(batchSize: batchSize) { try evaluation.observeForRewardModel(try decision($0), key: $0.key) }
        }
        var count = 0
        try reader.stream(batchSize: batchSize) {
            try evaluation.observe(try decision($0), key: $0.key)
            count += 1
        }
        return Result(arms: arms, decisions: count, estimates: try evaluation.estimates())
    }
}
