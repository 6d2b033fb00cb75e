/// A fitted reward model q̂(x, a): per action, coefficients on [1, context…]. Fitting takes a
/// multiplicity per decision so bootstrap replicates refit it without copying the logs.
struct RewardModel: Sendable {
    /// Coefficients row-major: action × (1 + featureCount), intercept first.
    let coefficients: [Double]
    let width: Int

    /// Fits the model with decision i counted `multiplicity[i]` times. An action without data
    /// predicts the overall mean reward.
    static func fit(_ kind: RewardModelKind, data: LoggedData, multiplicity: [Double]) -> RewardModel {
        var totalWeight = 0.0
        var totalReward = 0.0
        let rewards = data.rewards
        for index in 0..<data.count {
            totalWeight += multiplicity[index]
            totalReward += multiplicity[index] * rewards[index]
        }
        let overallMean = totalWeight > 0 ? totalReward / totalWeight : 0
        switch kind {
        case .perActionMean:
            var sums = [Double](repeating: 0, count: data.actionCount)
            var counts = [Double](repeating: 0, count: data.actionCount)
            let actions = data.actions
            for index in 0..<data.count {
                sums[actions[index]] += multiplicity[index] * rewards[index]
                counts[actions[index]] += multiplicity[index]
            }
            // Written with zero feature coefficients, so prediction is the same for both kinds.
            let width = data.featureCount + 1
            var coefficients = [Double](repeating: 0, count: data.actionCount * width)
            for action in 0..<data.actionCount {
                coefficients[action * width] = counts[action] > 0 ? sums[action] / counts[action] : overallMean
            }
            return RewardModel(coefficients: coefficients, width: width)
        case .ridge(let lambda):
            return fitRidge(lambda: lambda, data: data, multiplicity: multiplicity, overallMean: overallMean)
        }
    }

    private static func fitRidge(lambda: Double, data: LoggedData, multiplicity: [Double], overallMean: Double) -> RewardModel {
        let width = data.featureCount + 1
        let square = width * width
        var gram = [Double](repeating: 0, count: data.actionCount * square)
        var moment = [Double](repeating: 0, count: data.actionCount * width)
        var counts = [Double](repeating: 0, count: data.actionCount)
        var z = [Double](repeating: 1, count: width)
        let contexts = data.contexts
        let actions = data.actions
        let rewards = data.rewards
        let features = data.featureCount
        for index in 0..<data.count where multiplicity[index] > 0 {
            let m = multiplicity[index]
            for feature in 0..<features { z[feature + 1] = contexts[index * features + feature] }
            let action = actions[index]
            counts[action] += m
            for row in 0..<width {
                let scaled = m * z[row]
                moment[action * width + row] += scaled * rewards[index]
                for column in 0...row { gram[action * square + row * width + column] += scaled * z[column] }
            }
        }
        var coefficients = [Double](repeating: 0, count: data.actionCount * width)
        for action in 0..<data.actionCount {
            coefficients[action * width] = overallMean
            guard counts[action] > 0 else { continue }
            var matrix = Array(gram[(action * square)..<((action + 1) * square)])
            for row in 0..<width {
                for column in 0..<row { matrix[column * width + row] = matrix[row * width + column] }
                matrix[row * width + row] += row == 0 ? 1e-9 : lambda
            }
            let rhs = Array(moment[(action * width)..<((action + 1) * width)])
            if let solution = CholeskySolver.solve(matrix, rhs, dimension: width) {
                for column in 0..<width { coefficients[action * width + column] = solution[column] }
            }
        }
        return RewardModel(coefficients: coefficients, width: width)
    }
}
