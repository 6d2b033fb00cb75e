import Foundation

/// A strategy model behind a reader-writer lock: the one class every registry strategy is.
/// Recommendations read concurrently; observe and the swap after a fit write alone.
/// @unchecked Sendable is sound because every access to `model` and `window` holds `lock`.
final class LockedStrategy<Model: StrategyModel>: RecommendationStrategy, @unchecked Sendable {
    private let lock = ReadWriteLock()
    private var model: Model
    private var window: DataWindow?
    let resolved: ResolvedParameters

    init(parameters: ResolvedParameters) throws(StrategyError) {
        resolved = parameters
        model = try Model(parameters: parameters)
    }

    init(parameters: ResolvedParameters, model: Model, window: DataWindow?) {
        resolved = parameters
        self.model = model
        self.window = window
    }

    var name: String { Model.strategyDescription.name }
    var parameters: [String: ParameterValue] { resolved.values }
    var dataWindow: DataWindow? { lock.withReadLock { window } }

    func fit(_ interactions: [Interaction], catalogue: ItemCatalogue) throws(StrategyError) {
        let data = TrainingData(interactions: interactions, catalogue: catalogue)
        var fresh = try Model(parameters: resolved)
        try fresh.fit(data)
        lock.withWriteLock {
            model = fresh
            window = data.window
        }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        guard request.k > 0 else { return [] }
        return lock.withReadLock { model.recommend(request) }
    }

    func observe(_ interaction: Interaction) {
        lock.withWriteLock {
            model.observe(interaction)
            if window == nil {
                window = DataWindow(firstTime: interaction.time, lastTime: interaction.time, count: 1)
            } else {
                window?.include(interaction.time)
            }
        }
    }

    func save(fittedAt: Double?) throws(StrategyError) -> Data {
        let (snapshot, window) = lock.withReadLock { (model, self.window) }
        let payload: Data
        do {
            payload = try JSONEncoder().encode(snapshot)
        } catch {
            throw .corruptModel(strategy: name, reason: "it could not be encoded: \(error)")
        }
        let header = ModelHeader(strategy: name, parameters: resolved.yamlTexts, dataWindow: window, fittedAt: fittedAt)
        return ModelFile.encode(header: header, payload: payload)
    }
}
