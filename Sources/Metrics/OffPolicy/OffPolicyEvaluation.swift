import Stats

/// Off-policy evaluation of a candidate policy from logged decisions: every requested estimator
/// on the same logs, with intervals from one shared set of seeded bootstrap resamples.
public enum OffPolicyEvaluation {
    /// Estimates the candidate's mean reward with each of `estimators`.
    /// - Parameters:
    ///   - logs: the logged decisions; DM and DR need `candidateDistribution` on every one.
    ///   - actionCount: the number of actions; actions are 0..<actionCount.
    /// - Throws: `OffPolicyInputError` for empty logs, propensities outside (0, 1], candidate
    ///   probabilities outside [0, 1], actions out of range, missing distributions, ragged contexts,
    ///   a confidence outside (0, 1) or fewer than one bootstrap replicate.
    public static func estimate(
        _ estimators: [OffPolicyEstimator],
        logs: [LoggedDecision],
        actionCount: Int,
        options: OffPolicyEvaluationOptions = .init()
    ) throws(OffPolicyInputError) -> [OffPolicyEstimate] {
        guard options.confidence > 0 && options.confidence < 1, options.bootstrapReplicates >= 1 else {
            throw OffPolicyInputError(index: nil, message: "confidence must be in (0, 1) and bootstrap replicates at least 1")
        }
        try validate(logs, actionCount: actionCount, needsDistribution: estimators.contains { $0.needsRewardModel })
        let computer = EstimateComputer(data: LoggedData(logs, actionCount: actionCount), rewardModel: options.rewardModel, estimators: estimators)
        let values = computer.values(multiplicity: [Double](repeating: 1, count: logs.count))

        var generator = SplitMix64(seed: options.seed)
        var replicates = [[Double]](repeating: [], count: estimators.count)
        var counts = [Double](repeating: 0, count: logs.count)
        for _ in 0..<options.bootstrapReplicates {
            for index in counts.indices { counts[index] = 0 }
            for _ in logs.indices { counts[Int(generator.next(upperBound: UInt64(logs.count)))] += 1 }
            for (slot, value) in computer.values(multiplicity: counts).enumerated() { replicates[slot].append(value) }
        }

        let supportWarnings = SupportCheck.warnings(logs: logs, actionCount: actionCount, propensityThreshold: options.propensityThreshold)
        let alpha = (1 - options.confidence) / 2
        return estimators.enumerated().map { slot, estimator in
            let sorted = replicates[slot].sorted()
            let ess = effectiveSampleSize(logs: logs, estimator: estimator)
            var warnings = supportWarnings
            if ess < options.effectiveSampleShareThreshold * Double(logs.count) {
                warnings.append(.smallEffectiveSampleSize(effective: ess, logged: logs.count))
            }
            return OffPolicyEstimate(
                estimator: estimator,
                value: values[slot],
                interval: quantile(sorted, alpha)...quantile(sorted, 1 - alpha),
                effectiveSampleSize: ess,
                warnings: warnings
            )
        }
    }

    /// (Σw)² / Σw² over the weights `estimator` uses.
    static func effectiveSampleSize(logs: [LoggedDecision], estimator: OffPolicyEstimator) -> Double {
        var sum = 0.0
        var sumOfSquares = 0.0
        for decision in logs {
            var weight = decision.importanceWeight
            if case .inversePropensity(let clip?) = estimator { weight = min(weight, clip) }
            sum += weight
            sumOfSquares += weight * weight
        }
        return sumOfSquares > 0 ? sum * sum / sumOfSquares : 0
    }

    /// Linear-interpolation quantile (type 7) of ascending `sorted`.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted.count == 1 ? first : sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }

    private static func validate(_ logs: [LoggedDecision], actionCount: Int, needsDistribution: Bool) throws(OffPolicyInputError) {
        guard !logs.isEmpty else { throw OffPolicyInputError(index: nil, message: "no logged decisions to evaluate") }
        let dimension = logs[0].context.count
        for (index, decision) in logs.enumerated() {
            func fail(_ message: String) -> OffPolicyInputError { OffPolicyInputError(index: index, message: message) }
            guard (0..<actionCount).contains(decision.action) else {
                throw fail("action \(decision.action) is outside 0..<\(actionCount)")
            }
            guard decision.loggingPropensity > 0 && decision.loggingPropensity <= 1 else {
                throw fail("logging propensity \(decision.loggingPropensity) is not in (0, 1]; log the probability of the action taken")
            }
            guard decision.candidateProbability >= 0 && decision.candidateProbability <= 1 else {
                throw fail("candidate probability \(decision.candidateProbability) is not in [0, 1]")
            }
            guard decision.reward.isFinite else { throw fail("reward \(decision.reward) is not finite") }
            guard decision.context.count == dimension else {
                throw fail("context has \(decision.context.count) features, the first decision has \(dimension)")
            }
            if needsDistribution && decision.candidateDistribution?.count != actionCount {
                throw fail("the direct method and doubly robust need the candidate's probabilities of all \(actionCount) actions")
            }
        }
    }
}
