/// Detects where the candidate policy acts outside the logging policy's support: actions the logs
/// never took, and logged actions whose propensity was near zero while the candidate favours them.
enum SupportCheck {
    static func warnings(logs: [LoggedDecision], actionCount: Int, propensityThreshold: Double) -> [OffPolicyWarning] {
        var warnings: [OffPolicyWarning] = []
        var logged = [Bool](repeating: false, count: actionCount)
        for decision in logs { logged[decision.action] = true }
        var massOnUnlogged = [Double](repeating: 0, count: actionCount)
        var decisionsWithDistribution = 0
        for decision in logs {
            guard let distribution = decision.candidateDistribution else { continue }
            decisionsWithDistribution += 1
            for (action, probability) in distribution.enumerated() where !logged[action] { massOnUnlogged[action] += probability }
        }
        if decisionsWithDistribution > 0 {
            let unlogged = (0..<actionCount).filter { !logged[$0] && massOnUnlogged[$0] > 0 }
            if !unlogged.isEmpty {
                let mass = unlogged.reduce(0) { $0 + massOnUnlogged[$1] } / Double(decisionsWithDistribution)
                warnings.append(.unloggedActions(actions: unlogged, candidateMass: mass))
            }
        }
        let risky = logs.filter { $0.loggingPropensity < propensityThreshold && $0.candidateProbability > $0.loggingPropensity }
        if let smallest = risky.map(\.loggingPropensity).min() {
            warnings.append(.nearZeroPropensity(decisions: risky.count, smallestPropensity: smallest, threshold: propensityThreshold))
        }
        return warnings
    }
}
