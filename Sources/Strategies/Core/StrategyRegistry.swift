import Foundation

/// Builds strategies by name from validated parameters, and loads saved models.
public enum StrategyRegistry {
    /// The implemented strategies, in catalogue order.
    static let models: [any StrategyModel.Type] = [
        PopularityModel.self, ItemKNNModel.self, ContentModel.self, ALSModel.self,
        BPRModel.self, MarkovModel.self, EASEModel.self, HybridModel.self, GRU4RecModel.self, TwoTowerModel.self,
    ]

    /// Every strategy a spec may name: the implemented ones plus `remote`, which the server
    /// edge provides because it needs HTTP.
    public static let catalog = StrategyCatalog(
        descriptions: models.map { $0.strategyDescription } + [RemoteDescription.description]
    )

    /// A new, unfitted strategy called `name`; `parameters` are validated against its
    /// description (defaults fill the rest) and errors name the offending parameter.
    public static func make(
        name: String,
        parameters: [String: ParameterValue] = [:]
    ) throws(StrategyError) -> any RecommendationStrategy {
        if name == RemoteDescription.description.name {
            throw .unavailableHere(strategy: name, reason: "it calls an HTTP model, which the server edge builds")
        }
        guard let model = models.first(where: { $0.strategyDescription.name == name }) else {
            throw .unknownStrategy(name: name, known: catalog.names)
        }
        return try make(model, parameters: parameters)
    }

    /// The strategy saved in `data` by `save(fittedAt:)`, ready to recommend and observe.
    public static func load(_ data: Data) throws(StrategyError) -> any RecommendationStrategy {
        let (header, payload) = try ModelFile.decode(data)
        guard let model = models.first(where: { $0.strategyDescription.name == header.strategy }) else {
            throw .unknownStrategy(name: header.strategy, known: catalog.names)
        }
        return try load(model, header: header, payload: payload)
    }

    /// The header of a saved model, without loading the model.
    public static func header(of data: Data) throws(StrategyError) -> ModelHeader {
        try ModelFile.decode(data).header
    }

    private static func make<Model: StrategyModel>(
        _: Model.Type,
        parameters: [String: ParameterValue]
    ) throws(StrategyError) -> any RecommendationStrategy {
        let resolved = try ResolvedParameters(parameters, for: Model.strategyDescription)
        return try LockedStrategy<Model>(parameters: resolved)
    }

    private static func load<Model: StrategyModel>(
        _: Model.Type,
        header: ModelHeader,
        payload: Data
    ) throws(StrategyError) -> any RecommendationStrategy {
        let given = header.parameters.mapValues { ParameterValue.text($0) }
        let resolved = try ResolvedParameters(given, for: Model.strategyDescription)
        do {
            let model = try JSONDecoder().decode(Model.self, from: payload)
            return LockedStrategy<Model>(parameters: resolved, model: model, window: header.dataWindow)
        } catch let error as StrategyError {
            throw error
        } catch {
            throw .corruptModel(strategy: header.strategy, reason: "its state is unreadable: \(error)")
        }
    }
}

/// The catalogue entry of `remote`, implemented at the server edge.
enum RemoteDescription {
    static let description = StrategyDescription(
        name: "remote",
        summary: "Items ranked by an HTTP model server, with a local fallback strategy on timeout or error.",
        parameters: [
            ParameterDescription(name: "url", kind: .text, defaultValue: nil, summary: "The model server's recommend endpoint."),
            ParameterDescription(
                name: "timeout_ms",
                kind: .integer(minimum: 1, maximum: 10_000),
                defaultValue: "50",
                summary: "Milliseconds to wait before using the fallback."
            ),
            ParameterDescription(
                name: "fallback",
                kind: .text,
                defaultValue: "popularity",
                summary: "The strategy that answers when the server does not."
            ),
        ]
    )
}
