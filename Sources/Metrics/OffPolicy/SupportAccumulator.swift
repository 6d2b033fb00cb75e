/// The support check of `SupportCheck`, one decision at a time: which actions the logs took, the
/// candidate's mass per action and the logged decisions with near-zero propensity it favours.
struct SupportAccumulator: Sendable {
    private var logged: [Bool]
    private var candidateMass: [Double]
    private var decisionsWithDistribution = 0
    private var riskyCount = 0
    private var smallestRiskyPropensity = Double.infinity

    init(actionCount: Int) {
        logged = [Bool](repeating: false, count: actionCount)
        candidateMass = [Double](repeating: 0, count: actionCount)
    }

    mutating func add(_ decision: LoggedDecision, propensityThreshold: Double) {
        logged[decision.action] = true
        if let distribution = decision.candidateDistribution {
            decisionsWithDistribution += 1
            for (action, probability) in distribution.enumerated() { candidateMass[action] += probability }
        }
        if decision.loggingPropensity < propensityThreshold && decision.candidateProbability > decision.loggingPropensity {
            riskyCount += 1
            smallestRiskyPropensity = min(smallestRiskyPropensity, decision.loggingPropensity)
        }
    }

    /// The same warnings `SupportCheck.warnings` gives on the same decisions.
    func warnings(propensityThreshold: Double) -> [OffPolicyWarning] {
        var warnings: [OffPolicyWarning] = []
        if decisionsWithDistribution > 0 {
            let unlogged = candidateMass.indices.filter { !logged[$0] && candidateMass[$0] > 0 }
            if !unlogged.isEmpty {
                let mass = unlogged.reduce(0) { $0 + candidateMass[$1] } / Double(decisionsWithDistribution)
                warnings.append(.unloggedActions(actions: unlogged, candidateMass: mass))
            }
        }
        if riskyCount > 0 {
            warnings.append(.nearZeroPropensity(decisions: riskyCount, smallestPropensity: smallestRiskyPropensity, threshold: propensityThreshold))
        }
        return warnings
    }
}
