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
    public func rank(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) async -> [(itemID: String, score: Double)] {
        if let suspending = strategy(experiment: experiment, arm: arm.key) as? any SuspendingRecommendationStrategy {
            let chosen = await suspending.recommendSuspending(RecommendationRequest(unit: unitID, excludedItems: exclude, k: k))
            return filled(chosen, experiment: experiment, arm: arm, unitID: unitID, context: context, k: k, exclude: exclude)
        }
        // Nil only if a reload swapped in a remote arm since the line above: the fill-ins answer.
        return rankImmediately(experiment: experiment, arm: arm, unitID: unitID, context: context, k: k, exclude: exclude)
            ?? filled([], experiment: experiment, arm: arm, unitID: unitID, context: context, k: k, exclude: exclude)
    }

    /// As `rank`, for every arm but one served by a remote model (nil: it would wait).
    public func rankImmediately(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) -> [(itemID: String, score: Double)]? {
        let chosen: [ScoredItem]
        switch strategy(experiment: experiment, arm: arm.key) {
        case is any SuspendingRecommendationStrategy: return nil
        case let strategy?: chosen = strategy.recommend(RecommendationRequest(unit: unitID, excludedItems: exclude, k: k))
        case nil: chosen = []
        }
        return filled(chosen, experiment: experiment, arm: arm, unitID: unitID, context: context, k: k, exclude: exclude)
    }

    /// The strategy's items, then popularity fill-ins up to `k`.
    private func filled(
        _ chosen: [ScoredItem],
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) -> [(itemID: String, score: Double)] {
        let result = chosen.map { (itemID: $0.item, score: $0.score) }
        guard result.count < k else { return result }
        var taken = exclude
        taken.formUnion(result.map(\.itemID))
        guard let fallback = popularity.withLock({ $0 }) else { return result }
        let fill = fallback.rank(
            experiment: experiment,
            arm: arm,
            unitID: unitID,
            context: context,
            k: k - result.count,
            exclude: taken
        )
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
