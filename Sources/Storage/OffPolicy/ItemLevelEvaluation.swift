import Metrics

/// Item-level off-policy evaluation from PostgreSQL: the action is the item at position 1 of the
/// logged list, the reward its relevance grade (`OffPolicyReward.topItem`), the candidate a
/// deterministic ranker given as its top item for an impression (a strategy's first recommendation).
///
/// Logging propensity: the logged arm's propensity. The arms' strategies rank deterministically, so
/// the logged top item had probability Σ over arms of P(arm) · [arm's top item is that item]; the
/// logged arm's term is exact when the arms' top items differ and a lower bound otherwise (the
/// estimate then leans high). Actions: every item logged at position 1, plus one bucket for items
/// the candidate picks that the logs never showed there (the support warning names it).
public struct ItemLevelEvaluation {
    /// The actions (items, then the unlogged bucket), the decisions read, how many of them the
    /// candidate agreed with, and the estimates.
    public struct Result: Sendable {
        public var actions: [String]
        public var decisions: Int
        public var agreements: Int
        public var skipped: Int
        public var estimates: [OffPolicyEstimate]
    }

    /// The label of the bucket for top items never logged at position 1.
    public static let unloggedBucket = "(never logged at position 1)"

    /// Where the logs come from (with items and the top-item reward).
    public let reader: OffPolicyLogReader

    /// `reader` must read items with the top-item reward.
    public init(reader: OffPolicyLogReader) throws(StorageError) {
        guard reader.settings.includesItems, reader.settings.reward == .topItem else {
            throw StorageError("item-level evaluation needs a reader with includesItems and the top_item reward")
        }
        self.reader = reader
    }

    /// Runs the estimators; `candidateTop` gives the candidate's item for position 1 of an
    /// impression (nil: the candidate has no item, which counts as the unlogged bucket). It is called
    /// once per impression per pass, so cache it per unit when it is costly.
    public func run(
        _ estimators: [OffPolicyEstimator],
        options: OffPolicyEvaluationOptions = .init(),
        interval: StreamingIntervalMethod = .poissonBootstrap(replicates: 200),
        batchSize: Int = 10_000,
        candidateTop: (LoggedImpression) throws -> String?
    ) throws -> Result {
        let logged = try reader.topItems()
        guard !logged.isEmpty else {
            throw StorageError(
                "experiment '\(reader.settings.experiment)' has no logged impressions with items in the time range",
                advice: "Check the experiment name and --since/--until"
            )
        }
        let actions = logged + [Self.unloggedBucket]
        let index = Dictionary(uniqueKeysWithValues: logged.enumerated().map { ($1, $0) })
        var evaluation = try StreamingOffPolicyEvaluation(
            estimators,
            actionCount: actions.count,
            featureCount: reader.settings.features.count,
            options: options,
            interval: interval
        )
        var distribution = [Double](repeating: 0, count: actions.count)
        var agreements = 0
        var skipped = 0
        func decision(_ impression: LoggedImpression) throws -> LoggedDecision? {
            guard let top = impression.itemIDs.first, let action = index[top] else { return nil }
            let choice = try candidateTop(impression).flatMap { index[$0] } ?? logged.count
            distribution[choice] = 1
            defer { distribution[choice] = 0 }
            if choice == action { agreements += 1 }
            return LoggedDecision(
                context: impression.context,
                action: action,
                reward: impression.reward,
                loggingPropensity: impression.propensity,
                candidateDistribution: distribution
            )
        }
        if evaluation.needsRewardModelPass {
            try reader.stream(batchSize: batchSize) { impression in
                if let row = try decision(impression) { try evaluation.observeForRewardModel(row, key: impression.key) }
            }
        }
        agreements = 0
        var count = 0
        try reader.stream(batchSize: batchSize) { impression in
            guard let row = try decision(impression) else {
                skipped += 1
                return
            }
            try evaluation.observe(row, key: impression.key)
            count += 1
        }
        return Result(actions: actions, decisions: count, agreements: agreements, skipped: skipped, estimates: try evaluation.estimates())
    }
}
