/// One decision from the logs, as off-policy estimators need it: what the logging policy did and
/// with which probability, the reward seen, and how likely the candidate policy was to do the same.
public struct LoggedDecision: Sendable, Hashable {
    /// Context features (may be empty); used by the ridge reward model.
    public var context: [Double]
    /// The action (arm or item index) the logging policy took, in 0..<actionCount.
    public var action: Int
    /// The observed reward.
    public var reward: Double
    /// μ(action | context): the probability the logging policy gave the logged action.
    public var loggingPropensity: Double
    /// π(action | context): the probability the candidate policy gives the logged action.
    public var candidateProbability: Double
    /// π(· | context) over every action, needed by the direct method, doubly robust and the
    /// support check; nil when only the logged action's probability is known.
    public var candidateDistribution: [Double]?

    /// A decision where only the candidate's probability of the logged action is known (IPS, SNIPS).
    public init(context: [Double] = [], action: Int, reward: Double, loggingPropensity: Double, candidateProbability: Double) {
        self.context = context
        self.action = action
        self.reward = reward
        self.loggingPropensity = loggingPropensity
        self.candidateProbability = candidateProbability
        self.candidateDistribution = nil
    }

    /// A decision with the candidate's whole distribution over actions (every estimator).
    public init(context: [Double] = [], action: Int, reward: Double, loggingPropensity: Double, candidateDistribution: [Double]) {
        self.context = context
        self.action = action
        self.reward = reward
        self.loggingPropensity = loggingPropensity
        self.candidateProbability = candidateDistribution.indices.contains(action) ? candidateDistribution[action] : 0
        self.candidateDistribution = candidateDistribution
    }

    /// The importance weight π / μ of the logged action.
    public var importanceWeight: Double { candidateProbability / loggingPropensity }
}
