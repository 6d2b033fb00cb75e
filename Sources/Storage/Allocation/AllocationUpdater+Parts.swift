import Bandits
import Foundation
import PostgresClient
import Spec

/// The pieces of an update: loading and checking the spec, the generator's seed, the
/// previous weights and the reward model's description.
extension AllocationUpdater {
    /// The latest version of `name`, its spec and bandit settings; refuses fixed allocation
    /// and (unless `force`) experiments that are not running.
    func banditSpec(
        _ name: String,
        store: ExperimentStore,
        force: Bool,
        on db: PostgresConnection
    ) throws -> (
        ExperimentStore.StoredVersion, ExperimentSpec, BanditSpec
    ) {
        guard let stored = try store.version(name) else { throw AllocationError.unknownExperiment(name) }
        let spec: ExperimentSpec
        do {
            spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        } catch {
            throw AllocationError.unreadableSpec(experiment: name, detail: "\(error)")
        }
        guard spec.allocation.type == .bandit, let bandit = spec.allocation.bandit else { throw AllocationError.fixedAllocation(name) }
        let status = try store.currentStatus(name, on: db) ?? spec.status.rawValue
        guard force || status == ExperimentStatus.running.rawValue else { throw AllocationError.notRunning(experiment: name, status: status) }
        return (stored, spec, bandit)
    }

    /// The policy generator's seed for writing allocation `version`: the spec seed mixed
    /// with the version (SplitMix64's increment times the version, xor the seed).
    static func seed(spec seed: UInt64, allocationVersion version: Int64) -> UInt64 {
        seed ^ (UInt64(truncatingIfNeeded: version) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Stored weights in the order of `arms`, renormalised; nil unless they cover exactly these arms.
    static func weights(_ stored: [String: Double], arms: [String]) -> ArmWeights? {
        guard Set(stored.keys) == Set(arms) else { return nil }
        let values = arms.map { max(0, stored[$0] ?? 0) }
        let total = values.reduce(0, +)
        guard total > 0 else { return nil }
        return try? ArmWeights(arms: arms, values: values.map { $0 / total })
    }

    /// A short text for the reward model the policy used: `bernoulli(1, 1)`, `normal(0, 1)`
    /// for Thompson policies, else `binary` or `continuous` (the policy uses means only).
    static func describe(_ description: PolicyDescription, reward: RewardMetric) -> String {
        let model: PolicyDescription.RewardModel? =
            switch description {
            case .thompson(let m), .topTwoThompson(let m, _): m
            default: nil
            }
        switch model {
        case .bernoulli(let a, let b): return "bernoulli(\(String(format: "%g", a)), \(String(format: "%g", b)))"
        case .normal(let mean, let sd): return "normal(\(String(format: "%g", mean)), \(String(format: "%g", sd)))"
        case nil: return reward.isBinary ? "binary" : "continuous"
        }
    }
}
