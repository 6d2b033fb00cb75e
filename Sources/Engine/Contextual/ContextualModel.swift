import Bandits
import Foundation
import Spec
import Stats

/// A contextual bandit experiment's model as the decision service serves it: the feature
/// layout, the policy with its per-arm ridge models at one model version, and the guard
/// rails. Immutable while it serves; learning makes a new one at the next version.
public struct ContextualModel: Sendable {
    /// The prior's ridge λ (A = λI before any data).
    public static let ridge = 1.0

    public let layout: FeatureLayout
    /// The policy holding the learned models.
    public private(set) var policy: any ContextualPolicy
    /// The checkpoint version the models come from; 0 is the prior.
    public let version: Int64
    /// The spec's `allocation.seed`.
    public let seed: UInt64
    public let rails: ContextualGuardRails

    /// The model of `spec` (a contextual bandit) holding `states` (nil: the prior) at `version`.
    public init(spec experiment: ExperimentSpec, version: Int64 = 0, states: [LinearArmState]? = nil) throws {
        guard let bandit = experiment.allocation.bandit, bandit.policy.isContextual, let layout = FeatureLayout(spec: experiment) else {
            throw ContextualModelError.notContextual(experiment: experiment.name)
        }
        let arms = experiment.arms.map(\.key)
        var policy: any ContextualPolicy
        if bandit.policy == .linucb {
            policy = try LinUCBPolicy(arms: arms, dimension: layout.dimension, exploration: bandit.params["alpha"]?.number ?? 1, ridge: Self.ridge)
        } else {
            policy = try LinearThompsonPolicy(
                arms: arms,
                dimension: layout.dimension,
                scale: bandit.params["posterior_scale"]?.number ?? 1,
                ridge: Self.ridge
            )
        }
        if let states { try policy.restore(states) }
        self.layout = layout
        self.policy = policy
        self.version = version
        self.seed = bandit.seed
        let counts = states?.map(\.updates) ?? Array(repeating: 0, count: arms.count)
        rails = try ContextualGuardRails(
            armCount: arms.count,
            floor: bandit.minWeight,
            controlShare: bandit.controlShare,
            controlIndex: experiment.arms.firstIndex(where: \.isControl),
            inBurnIn: counts.contains { $0 < bandit.burnIn }
        )
    }

    /// The arms, in the spec's order.
    public var arms: [String] { policy.arms }

    /// Chooses an arm for `features` (from `layout.vector`), with randomness seeded by the
    /// spec's seed, the request id and this model version: the same request at the same
    /// version always gets the same arm.
    public func choose(features: [Double], requestID: UUID) throws(BanditsError) -> ContextualChoice {
        var generator = SplitMix64(seed: Self.seed(spec: seed, requestID: requestID, version: version))
        return try rails.choose(policy, context: features, using: &generator)
    }

    /// Every arm's probability for `features` under the rails, in `arms` order.
    public func probabilities(features: [Double]) throws(BanditsError) -> [Double] {
        try rails.probabilities(policy, context: features)
    }

    /// The models with one more observation of `reward` after `arm` was shown for `features`.
    public mutating func learn(features: [Double], arm: String, reward: Double) throws(BanditsError) {
        try policy.update(context: features, arm: arm, reward: reward)
    }

    /// The per-arm states to checkpoint, in `arms` order.
    public var armStates: [LinearArmState] { policy.armStates }

    /// The generator seed of one request: the request id's 128 bits, the spec seed and the
    /// model version, mixed by SplitMix64 steps.
    public static func seed(spec: UInt64, requestID: UUID, version: Int64) -> UInt64 {
        let bytes = requestID.uuid
        let high = withUnsafeBytes(of: (bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5, bytes.6, bytes.7)) { $0.load(as: UInt64.self) }
        let low = withUnsafeBytes(of: (bytes.8, bytes.9, bytes.10, bytes.11, bytes.12, bytes.13, bytes.14, bytes.15)) { $0.load(as: UInt64.self) }
        var mixer = SplitMix64(seed: spec ^ 0x5163_7874_7561_6C21)
        var state = mixer.next() ^ high
        mixer = SplitMix64(seed: state)
        state = mixer.next() ^ low
        mixer = SplitMix64(seed: state ^ UInt64(bitPattern: version))
        return mixer.next()
    }
}

/// Why a contextual model could not be made.
public enum ContextualModelError: Error, Sendable, CustomStringConvertible {
    case notContextual(experiment: String)

    public var description: String {
        switch self {
        case .notContextual(let name):
            "Experiment \(name) has no contextual bandit allocation (policy linucb or linear_thompson with features)."
        }
    }
}
