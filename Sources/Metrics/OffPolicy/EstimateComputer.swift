/// Computes estimator values on the logs with a multiplicity per decision, so the full sample
/// (all ones) and every bootstrap replicate (multinomial counts) share one code path.
struct EstimateComputer {
    let data: LoggedData
    let rewardModel: RewardModelKind
    let estimators: [OffPolicyEstimator]
    private let clips: [Double]
    private let needsModel: Bool

    init(data: LoggedData, rewardModel: RewardModelKind, estimators: [OffPolicyEstimator]) {
        self.data = data
        self.rewardModel = rewardModel
        self.estimators = estimators
        self.clips = estimators.compactMap { if case .inversePropensity(let clip?) = $0 { clip } else { nil } }
        self.needsModel = estimators.contains { $0.needsRewardModel } && !data.candidateDistributions.isEmpty
    }

    /// The value of each estimator, in order, with decision i counted `multiplicity[i]` times.
    func values(multiplicity: [Double]) -> [Double] {
        let model = needsModel ? RewardModel.fit(rewardModel, data: data, multiplicity: multiplicity) : nil
        // Hot loop of every bootstrap replicate: arrays are read through local constants and the
        // prediction is written out, so nothing is retained per decision.
        let coefficients = model?.coefficients ?? []
        let width = model?.width ?? 0
        let features = data.featureCount
        let actionCount = data.actionCount
        let contexts = data.contexts
        let actions = data.actions
        let rewards = data.rewards
        let weights = data.importanceWeights
        let distributions = data.candidateDistributions
        var n = 0.0
        var weightSum = 0.0
        var weightedRewardSum = 0.0
        var clippedSums = [Double](repeating: 0, count: clips.count)
        var directSum = 0.0
        var correctionSum = 0.0
        for index in 0..<data.count where multiplicity[index] > 0 {
            let m = multiplicity[index]
            let w = weights[index]
            let reward = rewards[index]
            n += m
            weightSum += m * w
            weightedRewardSum += m * w * reward
            for slot in clips.indices { clippedSums[slot] += m * min(w, clips[slot]) * reward }
            guard model != nil else { continue }
            var direct = 0.0
            var loggedPrediction = 0.0
            for action in 0..<actionCount {
                let probability = distributions[index * actionCount + action]
                guard probability > 0 || action == actions[index] else { continue }
                var prediction = coefficients[action * width]
                for feature in 0..<features {
                    prediction += coefficients[action * width + 1 + feature] * contexts[index * features + feature]
                }
                direct += probability * prediction
                if action == actions[index] { loggedPrediction = prediction }
            }
            directSum += m * direct
            correctionSum += m * w * (reward - loggedPrediction)
        }
        var clipSlot = 0
        return estimators.map { estimator in
            switch estimator {
            case .inversePropensity(nil):
                return weightedRewardSum / n
            case .inversePropensity:
                defer { clipSlot += 1 }
                return clippedSums[clipSlot] / n
            case .selfNormalizedInversePropensity:
                return weightSum > 0 ? weightedRewardSum / weightSum : 0
            case .directMethod:
                return directSum / n
            case .doublyRobust:
                return (directSum + correctionSum) / n
            }
        }
    }
}
