import Foundation
import Logging
import Spec
import Storage
import Strategies
import Synchronization

/// Ranks with each arm's own strategy: the model `abctl train` saved for the arm, or one
/// fitted in this process from PostgreSQL when there is no file. Accepted feedback events
/// reach every strategy's online update, so the next decision reflects them without a refit.
/// An arm whose strategy is not ready yet, or that returns fewer than `k` items (a unit it
/// knows nothing about), is filled from all-time popularity, counted from the same data the
/// in-process fits read (or, when every arm has a model file, from PostgreSQL once).
public final class StrategyRanker: Ranker {
    /// Where an arm's strategy came from; decides whether a reload must replace it.
    enum Origin: Equatable {
        case file(modified: Date)
        case fitted(signature: String)
    }

    struct Loaded {
        var strategy: any RecommendationStrategy
        var origin: Origin
        /// How long the arm takes to rank; decides whether the event loop may rank it.
        var cost = RankCost()
    }

    let models: ModelDirectory
    let logger: Logger
    let loaded = Mutex<[String: Loaded]>([:])
    /// The fill-in ranking; nil until the first `synchronise`.
    let popularity = Mutex<PopularityRanker?>(nil)
    private let recentEvents = Mutex(RecentEventIDs(capacity: 100_000))

    public init(models: ModelDirectory, logger: Logger) {
        self.models = models
        self.logger = logger
    }

    static func key(_ experiment: String, _ arm: String) -> String { experiment + "\u{1F}" + arm }

    /// The strategy serving `arm` of `experiment`, nil while it is not ready.
    public func strategy(experiment: String, arm: String) -> (any RecommendationStrategy)? {
        loaded.withLock { $0[Self.key(experiment, arm)]?.strategy }
    }

    /// The arm's strategy's items, then popularity fill-ins up to `k`; an arm served by a
    /// remote model is awaited without holding a thread.
    public func rank(_ request: RankRequest) async -> [(itemID: String, score: Double)] {
        let entry = serving(request.experiment, request.arm.key)
        if let suspending = entry?.strategy as? any SuspendingRecommendationStrategy {
            let chosen = await suspending.recommendSuspending(
                RecommendationRequest(unit: request.unitID, excludedItems: request.exclude, k: request.k)
            )
            return filled(chosen, request)
        }
        return ranked(with: entry, request)
    }

    /// As `rank`, but nil for an arm that would hold the event loop: one served by a remote
    /// model (it waits), and one whose rankings have cost more than `RankCost.eventLoopBudget`.
    public func rankImmediately(_ request: RankRequest) -> [(itemID: String, score: Double)]? {
        let entry = serving(request.experiment, request.arm.key)
        if let entry, entry.strategy is any SuspendingRecommendationStrategy || !entry.cost.fitsEventLoop { return nil }
        return ranked(with: entry, request)
    }

    /// `next` with each arm that keeps its strategy object also keeping what its rankings cost,
    /// so a reload does not give a slow arm another try on the event loop.
    static func keepingCosts(_ next: [String: Loaded], from previous: [String: Loaded]) -> [String: Loaded] {
        var next = next
        for (key, entry) in next {
            if let before = previous[key], before.strategy === entry.strategy { next[key]?.cost = before.cost }
        }
        return next
    }

    /// The arm's strategy and its cost, nil while the strategy is not ready.
    private func serving(_ experiment: String, _ arm: String) -> (strategy: any RecommendationStrategy, cost: RankCost)? {
        loaded.withLock { $0[Self.key(experiment, arm)].map { ($0.strategy, $0.cost) } }
    }

    /// An in-memory strategy's ranking, timed into the arm's cost; popularity alone (untimed:
    /// it is cheap) while the arm's strategy is not ready.
    private func ranked(
        with entry: (strategy: any RecommendationStrategy, cost: RankCost)?,
        _ request: RankRequest
    ) -> [(itemID: String, score: Double)] {
        guard let entry else { return filled([], request) }
        return entry.cost.measure {
            filled(entry.strategy.recommend(RecommendationRequest(unit: request.unitID, excludedItems: request.exclude, k: request.k)), request)
        }
    }

    /// The strategy's items, then popularity fill-ins up to `k`.
    private func filled(_ chosen: [ScoredItem], _ request: RankRequest) -> [(itemID: String, score: Double)] {
        let result = chosen.map { (itemID: $0.item, score: $0.score) }
        guard result.count < request.k else { return result }
        guard let fallback = popularity.withLock({ $0 }) else { return result }
        var fillRequest = request
        fillRequest.k = request.k - result.count
        fillRequest.exclude.formUnion(result.map(\.itemID))
        let fill = fallback.rank(fillRequest)
        // Fill-ins score below every item the strategy chose, keeping the list ordered.
        let floor = (result.map(\.score).min() ?? 0) - 1
        return result + fill.enumerated().map { (itemID: $1.itemID, score: floor - Double($0)) }
    }

    /// Feeds accepted events to every distinct strategy once; an event id seen recently (a
    /// client's retry) is skipped.
    public func observe(_ events: [FeedbackEvent]) {
        let fresh = recentEvents.withLock { recent in events.filter { recent.insert($0.eventID) } }
        guard !fresh.isEmpty else { return }
        var seen = Set<ObjectIdentifier>()
        let strategies = loaded.withLock { $0.values.map(\.strategy) }.filter { seen.insert(ObjectIdentifier($0)).inserted }
        for event in fresh {
            let interaction = Interaction(
                unit: event.unitID,
                item: event.itemID,
                event: event.type.rawValue,
                value: event.value,
                time: event.timestamp.timeIntervalSince1970
            )
            for strategy in strategies { strategy.observe(interaction) }
        }
    }
}
