import Stats

extension StreamingOffPolicyEvaluation {
    /// The batch evaluator's checks, on one decision; `index` is its position in the pass.
    func validate(_ decision: LoggedDecision, index: Int) throws(OffPolicyInputError) {
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
        guard decision.context.count == featureCount else {
            throw fail("context has \(decision.context.count) features, expected \(featureCount)")
        }
        if needsRewardModelPass && decision.candidateDistribution?.count != actionCount {
            throw fail("the direct method and doubly robust need the candidate's probabilities of all \(actionCount) actions")
        }
    }

    /// Sets the replicate multiplicities of one decision: 1 for the full logs, then Poisson(1)
    /// draws from a generator seeded by the seed and the key, so both passes draw the same.
    mutating func drawReplicateCounts(key: UInt64) {
        guard replicateCounts.count > 1 else { return }
        var generator = SplitMix64(seed: options.seed ^ (key &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
        let emptyProbability = 0.36787944117144233  // e^-1 = P(Poisson(1) = 0)
        for slot in 1..<replicateCounts.count {
            // Inversion: the smallest k with P(X ≤ k) ≥ u.
            let u = generator.nextUnitDouble()
            var k = 0
            var probability = emptyProbability
            var cumulative = probability
            while u > cumulative && k < 20 {
                k += 1
                probability /= Double(k)
                cumulative += probability
            }
            replicateCounts[slot] = Double(k)
        }
    }

    /// Model input z = [1, context…].
    mutating func setInput(_ context: [Double]) {
        for feature in context.indices { z[feature + 1] = context[feature] }
    }

    /// Σ_a π(a|x)·q̂(x, a) and q̂(x, logged action), skipping actions the candidate never takes
    /// (as the batch evaluator does).
    func predict(_ model: RewardModel, distribution: [Double], action loggedAction: Int) -> (direct: Double, logged: Double) {
        var direct = 0.0
        var logged = 0.0
        let width = model.width
        for action in 0..<actionCount {
            let probability = distribution[action]
            guard probability > 0 || action == loggedAction else { continue }
            var prediction = model.coefficients[action * width]
            for feature in 0..<featureCount {
                prediction += model.coefficients[action * width + 1 + feature] * z[feature + 1]
            }
            direct += probability * prediction
            if action == loggedAction { logged = prediction }
        }
        return (direct, logged)
    }

    /// Each estimator's per-decision contribution f_i (SNIPS's slot is unused: its interval comes
    /// from the weight moments).
    func contributions(weight w: Double, reward r: Double, direct: Double, logged: Double) -> [Double] {
        var clipSlot = 0
        return estimators.map { estimator in
            switch estimator {
            case .inversePropensity(nil): return w * r
            case .inversePropensity:
                defer { clipSlot += 1 }
                return min(w, clips[clipSlot]) * r
            case .selfNormalizedInversePropensity: return w * r
            case .directMethod: return direct
            case .doublyRobust: return direct + w * (r - logged)
            }
        }
    }

    /// Σw and Σw² of the raw weights, then of each clip's weights, for the effective sample size.
    mutating func addWeightMoments(_ w: Double) {
        weightMoments[0] += w
        weightMoments[1] += w * w
        for slot in clips.indices {
            let clipped = min(w, clips[slot])
            weightMoments[2 * (slot + 1)] += clipped
            weightMoments[2 * (slot + 1) + 1] += clipped * clipped
        }
    }

    /// Each estimator's interval at the options' confidence.
    func intervals(values: [Double]) -> [ClosedRange<Double>] {
        let alpha = (1 - options.confidence) / 2
        switch interval {
        case .normal:
            let model = needsRewardModelPass ? modelStatistics.first : nil
            let errors = normalSums?.standardErrors(estimators, values: values, model: model) ?? []
            let z = Normal.quantile(1 - alpha)
            return values.indices.map { slot in
                let error = errors[slot]
                guard error.isFinite else { return values[slot]...values[slot] }
                return (values[slot] - z * error)...(values[slot] + z * error)
            }
        case .poissonBootstrap:
            let replicateValues = sums.dropFirst().map { $0.values(estimators) }
            return values.indices.map { slot in
                let sorted = replicateValues.map { $0[slot] }.filter(\.isFinite).sorted()
                guard !sorted.isEmpty else { return values[slot]...values[slot] }
                return OffPolicyEvaluation.quantile(sorted, alpha)...OffPolicyEvaluation.quantile(sorted, 1 - alpha)
            }
        }
    }
}
