import Foundation

/// A recommender: fitted on logged interactions, asked for ranked items, updated online.
///
/// Implementations are classes guarded by a reader-writer lock, so one instance may be shared
/// by concurrent tasks: `recommend` and `save` run concurrently with each other, `observe`
/// runs alone, and `fit` trains a fresh model outside the lock and swaps it in (interactions
/// observed during a fit are not in the new model; observe them again or refit).
public protocol RecommendationStrategy: AnyObject, Sendable {
    /// The registry name, e.g. `item_knn`.
    var name: String { get }
    /// Every parameter with its value in force (defaults filled in).
    var parameters: [String: ParameterValue] { get }
    /// The data learned from (fit and observed), nil before any.
    var dataWindow: DataWindow? { get }

    /// Learns from scratch from `interactions` over the items of `catalogue`.
    func fit(_ interactions: [Interaction], catalogue: ItemCatalogue) throws(StrategyError)

    /// Ranks items for the request; at most `request.k` items, best first.
    func recommend(_ request: RecommendationRequest) -> [ScoredItem]

    /// Updates the model with one new interaction, without refitting.
    func observe(_ interaction: Interaction)

    /// The fitted model as a versioned file (header, then model state); `fittedAt` is the
    /// caller's clock reading of the fit, recorded in the header. Load with `StrategyRegistry.load`.
    func save(fittedAt: Double?) throws(StrategyError) -> Data
}
