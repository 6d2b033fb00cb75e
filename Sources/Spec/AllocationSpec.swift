/// How traffic is split between arms: fixed at the arms' weights, or moved by a bandit policy.
public struct AllocationSpec: Codable, Sendable, Equatable {
    /// The two kinds of allocation.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case fixed
        case bandit
    }

    public var type: Kind
    /// The bandit's settings; nil for fixed allocation.
    public var bandit: BanditSpec?

    public init(type: Kind, bandit: BanditSpec? = nil) {
        self.type = type
        self.bandit = bandit
    }

    /// Fixed weights, as given on the arms.
    public static let fixed = AllocationSpec(type: .fixed)
}

/// The bandit policies a spec may name.
public enum BanditPolicyName: String, Codable, Sendable, CaseIterable {
    case thompson
    case topTwoThompson = "top_two_thompson"
    case ucb1
    case ucbTuned = "ucb_tuned"
    case epsilonGreedy = "epsilon_greedy"
    case softmax
    case linucb
    case linearThompson = "linear_thompson"
}

/// A bandit allocation: which policy, which reward, how often and how far weights may move.
public struct BanditSpec: Codable, Sendable, Equatable {
    public var policy: BanditPolicyName
    /// The metric the bandit maximises; one of the experiment's metrics.
    public var reward: MetricName
    /// Time between weight updates.
    public var updateInterval: SpecDuration
    /// Units each arm must have before the policy moves weights away from the initial ones.
    public var burnIn: Int
    /// Floor on every arm's weight, so no arm starves (0…1/arms).
    public var minWeight: Double
    /// Largest change of any arm's weight in one update (0…1].
    public var maxChange: Double
    /// Share reserved for the control arm whatever the policy says (0…1).
    public var controlShare: Double
    /// Seed of the policy's random draws.
    public var seed: UInt64
    /// When set, an update counts only impressions shown in the last `window` before its data
    /// cut-off, so the weights follow a change in which arm is best (non-stationary rewards).
    public var window: SpecDuration?
    /// Policy parameters (epsilon, temperature, features, ...), checked per policy.
    public var params: [String: ParameterValue]

    public init(
        policy: BanditPolicyName,
        reward: MetricName,
        updateInterval: SpecDuration = SpecDuration(seconds: 3600),
        burnIn: Int = 100,
        minWeight: Double = 0.01,
        maxChange: Double = 1,
        controlShare: Double = 0,
        seed: UInt64 = 0,
        window: SpecDuration? = nil,
        params: [String: ParameterValue] = [:]
    ) {
        self.policy = policy
        self.reward = reward
        self.updateInterval = updateInterval
        self.burnIn = burnIn
        self.minWeight = minWeight
        self.maxChange = maxChange
        self.controlShare = controlShare
        self.seed = seed
        self.window = window
        self.params = params
    }

    enum CodingKeys: String, CodingKey {
        case policy, reward, seed, window, params
        case updateInterval = "update_interval"
        case burnIn = "burn_in"
        case minWeight = "min_weight"
        case maxChange = "max_change"
        case controlShare = "control_share"
    }
}
