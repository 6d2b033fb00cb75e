import Foundation

/// What produced an allocation, stored as the `statistics` JSON of its row: the data
/// cut-off (and, with a window, the start of the data counted), the policy and reward, and per arm the reward statistics, the policy's own
/// weight and the weight after the spec's constraints (docs/bandits.md shows an example).
public struct AllocationStatistics: Codable, Sendable, Equatable {
    /// One arm's inputs and outputs.
    public struct Arm: Codable, Sendable, Equatable {
        /// Units with at least one counted impression.
        public var n: Double
        /// The mean reward (a ratio metric's Σx/Σy), nil with no units.
        public var mean: Double?
        /// The per-unit sample variance of the reward the policy saw (delta method for ratios).
        public var variance: Double
        /// The weight the policy proposed.
        public var policyWeight: Double
        /// The weight after burn-in, control share, floor and change limit: the one stored.
        public var weight: Double
        /// The weight in force before this update, nil when the arms changed.
        public var previousWeight: Double?

        enum CodingKeys: String, CodingKey {
            case n, mean, variance, weight
            case policyWeight = "policy_weight"
            case previousWeight = "previous_weight"
        }
    }

    /// The policy's name as in the spec.
    public var policy: String
    /// The reward metric, e.g. `conversion` or `ndcg@10`.
    public var reward: String
    /// The reward model the policy used, e.g. `bernoulli(1, 1)`, `normal(0, 1)`.
    public var rewardModel: String
    /// Only impressions shown before this time counted: the update's clock minus the
    /// attribution window, so every counted impression had its whole window to collect feedback.
    public var dataUntil: Date
    /// The attribution window in seconds.
    public var attributionWindowSeconds: Int
    /// With the spec's `allocation.window`, only impressions shown from this time on counted
    /// (`dataUntil − window`); nil when every impression since the start counted.
    public var dataSince: Date?
    /// The spec's `allocation.window` in seconds, nil without one.
    public var windowSeconds: Int?
    /// Allocator updates before this one (the ε-decay step).
    public var update: Int
    /// The seed of the policy's generator: the spec seed mixed with the allocation version.
    public var seed: UInt64
    /// Whether some arm still had fewer units than burn_in, so the initial weights were kept.
    public var inBurnIn: Bool
    /// The experiment version whose spec was used.
    public var experimentVersion: Int
    /// Per arm key.
    public var arms: [String: Arm]

    enum CodingKeys: String, CodingKey {
        case policy, reward, update, seed, arms
        case rewardModel = "reward_model"
        case dataUntil = "data_until"
        case attributionWindowSeconds = "attribution_window_seconds"
        case dataSince = "data_since"
        case windowSeconds = "window_seconds"
        case inBurnIn = "in_burn_in"
        case experimentVersion = "experiment_version"
    }

    /// The JSON stored with the allocation: sorted keys, ISO-8601 dates.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads statistics back from `json()` output (for reports and tests).
    public init(json: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(AllocationStatistics.self, from: Data(json.utf8))
    }

    /// Creates statistics from their parts.
    public init(
        policy: String,
        reward: String,
        rewardModel: String,
        dataUntil: Date,
        attributionWindowSeconds: Int,
        dataSince: Date? = nil,
        windowSeconds: Int? = nil,
        update: Int,
        seed: UInt64,
        inBurnIn: Bool,
        experimentVersion: Int,
        arms: [String: Arm]
    ) {
        self.policy = policy
        self.reward = reward
        self.rewardModel = rewardModel
        self.dataUntil = dataUntil
        self.attributionWindowSeconds = attributionWindowSeconds
        self.dataSince = dataSince
        self.windowSeconds = windowSeconds
        self.update = update
        self.seed = seed
        self.inBurnIn = inBurnIn
        self.experimentVersion = experimentVersion
        self.arms = arms
    }
}
