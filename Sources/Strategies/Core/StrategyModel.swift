/// The algorithm of one strategy as a value type: `LockedStrategy` wraps it in a class with
/// a lock, so models only implement the mathematics.
protocol StrategyModel: Sendable, Codable {
    /// The registry name, summary and parameters.
    static var strategyDescription: StrategyDescription { get }

    init(parameters: ResolvedParameters) throws(StrategyError)

    /// Learns from scratch from `data`.
    mutating func fit(_ data: TrainingData) throws(StrategyError)

    /// The request's top K; empty when the model has nothing to say about this unit.
    func recommend(_ request: RecommendationRequest) -> [ScoredItem]

    /// Learns from one new interaction so the next recommendation reflects it.
    mutating func observe(_ interaction: Interaction)
}
