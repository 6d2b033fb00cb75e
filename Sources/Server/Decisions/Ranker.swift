import Spec

/// What one arm is asked to rank: up to `k` items for the unit in its context, best first,
/// none of them in `exclude`.
public struct RankRequest: Sendable {
    public var experiment: String
    public var arm: ArmSpec
    public var unitID: String
    public var context: [String: AttributeValue]
    public var k: Int
    public var exclude: Set<String>

    public init(experiment: String, arm: ArmSpec, unitID: String, context: [String: AttributeValue], k: Int, exclude: Set<String>) {
        self.experiment = experiment
        self.arm = arm
        self.unitID = unitID
        self.context = context
        self.k = k
        self.exclude = exclude
    }
}

/// Ranks items for one arm of one experiment (`RankRequest`). Answers come from memory; only
/// an arm served by a remote model suspends, while it waits for the endpoint, without
/// holding a thread. A synchronous `rank` satisfies the requirement.
public protocol Ranker: Sendable {
    func rank(_ request: RankRequest) async -> [(itemID: String, score: Double)]

    /// The same answer as `rank` when it can be given on the event loop, else nil: an arm
    /// served by a remote model (it suspends), or one too slow to rank there (`StrategyRanker`
    /// declines an arm whose rankings cost more than `RankCost.eventLoopBudget`). Lets the
    /// decision fast path answer on the event loop; nil sends the decision to the router.
    func rankImmediately(_ request: RankRequest) -> [(itemID: String, score: Double)]?
}

extension Ranker {
    /// Always nil: a ranker that never suspends says so by implementing it.
    public func rankImmediately(_ request: RankRequest) -> [(itemID: String, score: Double)]? {
        nil
    }
}
