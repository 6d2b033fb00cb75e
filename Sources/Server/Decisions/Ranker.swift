import Spec

/// Ranks items for one arm of one experiment: given the arm (its strategy and parameters),
/// the unit and its context, returns up to `k` items, best first, none of them in `exclude`.
/// Answers come from memory; only an arm served by a remote model suspends, while it waits
/// for the endpoint, without holding a thread. A synchronous `rank` satisfies the requirement.
public protocol Ranker: Sendable {
    func rank(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) async -> [(itemID: String, score: Double)]

    /// The same answer as `rank` when it can be given on the event loop, else nil: an arm
    /// served by a remote model (it suspends), or one too slow to rank there (`StrategyRanker`
    /// declines an arm whose rankings cost more than `RankCost.eventLoopBudget`). Lets the
    /// decision fast path answer on the event loop; nil sends the decision to the router.
    func rankImmediately(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) -> [(itemID: String, score: Double)]?
}

extension Ranker {
    /// Always nil: a ranker that never suspends says so by implementing it.
    public func rankImmediately(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) -> [(itemID: String, score: Double)]? {
        nil
    }
}
