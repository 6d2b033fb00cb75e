/// The logs flattened into contiguous arrays once, so fitting and estimating in every bootstrap
/// replicate reads numbers without copying `LoggedDecision` values.
struct LoggedData {
    let count: Int
    let actionCount: Int
    /// Context features per decision, row-major (count × featureCount).
    let contexts: [Double]
    let featureCount: Int
    let actions: [Int]
    let rewards: [Double]
    /// Importance weights π(a|x) / μ(a|x) of the logged actions.
    let importanceWeights: [Double]
    /// π(·|x) per decision, row-major (count × actionCount); empty when not every decision has it.
    let candidateDistributions: [Double]

    init(_ logs: [LoggedDecision], actionCount: Int) {
        count = logs.count
        self.actionCount = actionCount
        featureCount = logs.first?.context.count ?? 0
        contexts = logs.flatMap(\.context)
        actions = logs.map(\.action)
        rewards = logs.map(\.reward)
        importanceWeights = logs.map(\.importanceWeight)
        let hasAllDistributions = logs.allSatisfy { $0.candidateDistribution?.count == actionCount }
        candidateDistributions = hasAllDistributions ? logs.flatMap { $0.candidateDistribution ?? [] } : []
    }
}
