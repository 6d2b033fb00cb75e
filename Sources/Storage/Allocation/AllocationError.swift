/// Why `abctl allocate` refused or failed for one experiment; each prints as one sentence
/// saying what to do.
public enum AllocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No experiment has this name.
    case unknownExperiment(String)
    /// The experiment's allocation is fixed: there is nothing to update.
    case fixedAllocation(String)
    /// The experiment is not running (and `force` was not given).
    case notRunning(experiment: String, status: String)
    /// The policy chooses per request from context; it has no arm-level weights to store.
    case contextualPolicy(experiment: String, policy: String)
    /// The reward metric is not among the experiment's metrics.
    case rewardNotInSpec(experiment: String, reward: String, metrics: [String])
    /// The reward metric cannot be computed from logged impressions (recall needs all relevant items).
    case rewardNotLogged(experiment: String, reward: String)
    /// The stored spec could not be read back.
    case unreadableSpec(experiment: String, detail: String)
    /// A new spec version was applied while the statistics were being read.
    case specChanged(experiment: String, version: Int)
    /// The policy or the constraints rejected the inputs.
    case policy(experiment: String, detail: String)
    /// Another writer (a second server's scheduler) updated the allocation since it was found due.
    case notDue(experiment: String, version: Int)

    public var description: String {
        switch self {
        case .unknownExperiment(let name):
            "There is no experiment called \"\(name)\"; apply its spec first (abctl apply FILE), or see abctl list."
        case .fixedAllocation(let name):
            "Experiment \(name) has fixed allocation, so there are no weights to update; set allocation.type: bandit in its spec to let a policy move traffic."
        case .notRunning(let name, let status):
            "Experiment \(name) is \(status), not running; start it (abctl start \(name)) or pass --force to allocate anyway."
        case .contextualPolicy(let name, let policy):
            "Experiment \(name) uses the contextual policy \(policy), which chooses an arm per request in the decision service; there are no arm weights for abctl allocate to write."
        case .rewardNotInSpec(let name, let reward, let metrics):
            "The reward \(reward) of experiment \(name) is not among its metrics (\(metrics.joined(separator: ", "))); add it to metrics.secondary and apply the spec again."
        case .rewardNotLogged(let name, let reward):
            "The reward \(reward) of experiment \(name) cannot be computed from logged impressions; reward a ranking metric such as ndcg@K, ctr or conversion."
        case .unreadableSpec(let name, let detail):
            "The stored spec of experiment \(name) could not be read (\(detail)); apply the spec again with this version of abctl."
        case .specChanged(let name, let version):
            "The spec of experiment \(name) changed after version \(version) while its allocation was being computed; nothing was written, run abctl allocate again."
        case .policy(let name, let detail):
            "The allocation of experiment \(name) could not be computed: \(detail)"
        case .notDue(let name, let version):
            "The allocation of experiment \(name) was updated (version \(version)) by another writer since it was found due; nothing was written."
        }
    }
}
