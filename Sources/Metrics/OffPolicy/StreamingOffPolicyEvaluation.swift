import Stats

/// Off-policy evaluation over logs too large to hold: decisions arrive one at a time and only
/// running sums are kept (O(actions · features²) memory, times the replicates for the bootstrap).
///
/// IPS, clipped IPS and SNIPS need one pass: call `observe` for every decision, then `estimates()`.
/// DM and DR need the reward model first: call `observeForRewardModel` for every decision, then
/// `observe` for the same decisions again (same keys), then `estimates()`. Point estimates,
/// effective sample sizes and warnings equal `OffPolicyEvaluation.estimate` on the same logs.
public struct StreamingOffPolicyEvaluation: Sendable {
    /// The estimators, in the order `estimates()` returns them.
    public let estimators: [OffPolicyEstimator]
    /// The number of actions; actions are 0..<actionCount.
    public let actionCount: Int
    /// The number of context features every decision carries.
    public let featureCount: Int
    /// Reward model, seed, confidence and warning thresholds (`bootstrapReplicates` is not read:
    /// the replicates come from `interval`).
    public let options: OffPolicyEvaluationOptions
    /// How intervals are built.
    public let interval: StreamingIntervalMethod
    /// Whether a first pass (`observeForRewardModel`) is needed: DM or DR was asked for.
    public let needsRewardModelPass: Bool

    let clips: [Double]
    var modelStatistics: [RewardModelStatistics]
    var models: [RewardModel] = []
    var sums: [EstimatorSums]
    var normalSums: NormalIntervalSums?
    var support: SupportAccumulator
    var weightMoments: [Double]
    var modelPassCount = 0
    var estimatePassCount = 0
    /// Scratch: the model input [1, context…] of the current decision.
    var z: [Double]
    /// Scratch: the current decision's multiplicity in the full logs (1) and each replicate.
    var replicateCounts: [Double]

    /// A streaming evaluation with nothing observed yet.
    /// - Throws: `OffPolicyInputError` for a confidence outside (0, 1), fewer than one bootstrap
    ///   replicate, no actions or a negative feature count.
    public init(
        _ estimators: [OffPolicyEstimator],
        actionCount: Int,
        featureCount: Int,
        options: OffPolicyEvaluationOptions = .init(),
        interval: StreamingIntervalMethod = .poissonBootstrap(replicates: 200)
    ) throws(OffPolicyInputError) {
        guard options.confidence > 0 && options.confidence < 1 else {
            throw OffPolicyInputError(index: nil, message: "confidence must be in (0, 1)")
        }
        if case .poissonBootstrap(let replicates) = interval, replicates < 1 {
            throw OffPolicyInputError(index: nil, message: "the bootstrap needs at least 1 replicate")
        }
        guard actionCount >= 1, featureCount >= 0 else {
            throw OffPolicyInputError(index: nil, message: "need at least one action and a non-negative feature count")
        }
        self.estimators = estimators
        self.actionCount = actionCount
        self.featureCount = featureCount
        self.options = options
        self.interval = interval
        needsRewardModelPass = estimators.contains { $0.needsRewardModel }
        clips = estimators.compactMap { if case .inversePropensity(let clip?) = $0 { clip } else { nil } }
        let replicates = if case .poissonBootstrap(let count) = interval { count } else { 0 }
        let statistics = RewardModelStatistics(kind: options.rewardModel, actionCount: actionCount, featureCount: featureCount)
        modelStatistics = needsRewardModelPass ? Array(repeating: statistics, count: 1 + replicates) : []
        sums = Array(repeating: EstimatorSums(clipCount: clips.count), count: 1 + replicates)
        if interval == .normal {
            normalSums = NormalIntervalSums(estimatorCount: estimators.count, actionCount: actionCount, width: statistics.width)
        }
        support = SupportAccumulator(actionCount: actionCount)
        weightMoments = [Double](repeating: 0, count: 2 * (1 + clips.count))
        z = [Double](repeating: 1, count: featureCount + 1)
        replicateCounts = [Double](repeating: 1, count: 1 + replicates)
    }

    /// Pass 1 (DM and DR only): adds a decision to the reward model's sufficient statistics.
    /// `key` identifies the decision in both passes (default: its position in the pass).
    public mutating func observeForRewardModel(_ decision: LoggedDecision, key: UInt64? = nil) throws(OffPolicyInputError) {
        guard needsRewardModelPass else { return }
        guard models.isEmpty else {
            throw OffPolicyInputError(
                index: nil,
                message: "the reward model pass is over: observe every decision for the model before any for the estimates"
            )
        }
        try validate(decision, index: modelPassCount)
        drawReplicateCounts(key: key ?? UInt64(modelPassCount))
        setInput(decision.context)
        for slot in modelStatistics.indices {
            modelStatistics[slot].add(z: z, action: decision.action, reward: decision.reward, multiplicity: replicateCounts[slot])
        }
        modelPassCount += 1
    }

    /// Pass 2 (or the only pass): adds a decision to every estimator's running sums.
    public mutating func observe(_ decision: LoggedDecision, key: UInt64? = nil) throws(OffPolicyInputError) {
        if needsRewardModelPass && models.isEmpty {
            guard modelPassCount > 0 else {
                throw OffPolicyInputError(
                    index: nil,
                    message: "DM and DR need the reward model: observe every decision with observeForRewardModel first"
                )
            }
            models = modelStatistics.map { $0.fit() }
        }
        try validate(decision, index: estimatePassCount)
        drawReplicateCounts(key: key ?? UInt64(estimatePassCount))
        setInput(decision.context)
        estimatePassCount += 1
        support.add(decision, propensityThreshold: options.propensityThreshold)
        let w = decision.importanceWeight
        addWeightMoments(w)
        let distribution = needsRewardModelPass ? (decision.candidateDistribution ?? []) : []
        var direct = 0.0
        var logged = 0.0
        for slot in sums.indices where replicateCounts[slot] > 0 {
            if !distribution.isEmpty { (direct, logged) = predict(models[slot], distribution: distribution, action: decision.action) }
            sums[slot].add(
                multiplicity: replicateCounts[slot],
                weight: w,
                reward: decision.reward,
                clips: clips,
                direct: direct,
                loggedPrediction: logged
            )
            if slot == 0, var normal = normalSums {
                normalSums = nil  // moved out and back so the sums stay uniquely referenced
                normal.add(
                    contributions: contributions(weight: w, reward: decision.reward, direct: direct, logged: logged),
                    weight: w,
                    reward: decision.reward,
                    action: decision.action,
                    z: z,
                    distribution: distribution,
                    direct: direct,
                    residual: decision.reward - logged
                )
                normalSums = normal
            }
        }
    }

    /// Every estimator's estimate, interval, effective sample size and warnings.
    /// - Throws: `OffPolicyInputError` when nothing was observed or the two passes saw different
    ///   numbers of decisions.
    public func estimates() throws(OffPolicyInputError) -> [OffPolicyEstimate] {
        guard estimatePassCount > 0 else { throw OffPolicyInputError(index: nil, message: "no logged decisions to evaluate") }
        if needsRewardModelPass && modelPassCount != estimatePassCount {
            throw OffPolicyInputError(
                index: nil,
                message:
                    "the reward model pass saw \(modelPassCount) decisions and the estimate pass \(estimatePassCount); both passes must read the same logs"
            )
        }
        let values = sums[0].values(estimators)
        let intervals = intervals(values: values)
        let supportWarnings = support.warnings(propensityThreshold: options.propensityThreshold)
        var clipSlot = 0
        return estimators.enumerated().map { slot, estimator in
            var momentSlot = 0
            if case .inversePropensity(_?) = estimator {
                clipSlot += 1
                momentSlot = clipSlot
            }
            let sum = weightMoments[2 * momentSlot]
            let squares = weightMoments[2 * momentSlot + 1]
            let ess = squares > 0 ? sum * sum / squares : 0
            var warnings = supportWarnings
            if ess < options.effectiveSampleShareThreshold * Double(estimatePassCount) {
                warnings.append(.smallEffectiveSampleSize(effective: ess, logged: estimatePassCount))
            }
            return OffPolicyEstimate(
                estimator: estimator,
                value: values[slot],
                interval: intervals[slot],
                effectiveSampleSize: ess,
                warnings: warnings
            )
        }
    }
}
