/// Disjoint LinUCB (Li, Chu, Langford and Schapire 2010): each arm has its own ridge
/// regression; for context x the arm with the largest xᵀθ̂_a + α·√(xᵀA_a⁻¹x) is chosen.
/// The choice is deterministic, so the chosen arm's propensity is 1, or 1/m when m arms tie
/// (a tie is broken uniformly at random with the injected generator).
public struct LinUCBPolicy: ContextualPolicy {
    public let arms: [String]
    /// The width of the confidence bonus α.
    public let exploration: Double
    private var models: [LinearArmModel]

    /// A LinUCB policy over `arms` for contexts of `dimension` features, with ridge prior λ = `ridge`.
    public init(arms: [String], dimension: Int, exploration: Double = 1, ridge: Double = 1) throws(BanditsError) {
        try validateContextual(arms: arms, dimension: dimension, ridge: ridge)
        try require(exploration, "exploration", "finite and ≥ 0") { $0.isFinite && $0 >= 0 }
        self.arms = arms
        self.exploration = exploration
        models = Array(repeating: LinearArmModel(dimension: dimension, ridge: ridge), count: arms.count)
    }

    /// Each arm's upper confidence bound for `context`.
    public func scores(context: [Double]) throws(BanditsError) -> [Double] {
        try validateContext(context, dimension: models[0].dimension)
        return models.map { model in
            let p = model.prediction(for: context)
            return p.mean + exploration * p.variance.squareRoot()
        }
    }

    public func probabilities(context: [Double]) throws(BanditsError) -> [Double] {
        argmaxShares(try scores(context: context))
    }

    public func probability(of index: Int, context: [Double]) throws(BanditsError) -> Double {
        try probabilities(context: context)[index]
    }

    public func choose<G: RandomNumberGenerator>(context: [Double], using generator: inout G) throws(BanditsError) -> ContextualChoice {
        let probabilities = try probabilities(context: context)
        let chosen = drawIndex(probabilities, using: &generator)
        return ContextualChoice(arm: arms[chosen], propensity: probabilities[chosen])
    }

    /// Each arm's learned state, in `arms` order (for a checkpoint).
    public var armStates: [LinearArmState] { models.map(\.state) }

    /// Replaces the arms' models with `states` (in `arms` order), e.g. from a checkpoint.
    public mutating func restore(_ states: [LinearArmState]) throws(BanditsError) {
        models = try restoredModels(states, arms: arms, dimension: models[0].dimension)
    }

    public mutating func update(context: [Double], arm: String, reward: Double) throws(BanditsError) {
        try validateContext(context, dimension: models[0].dimension)
        guard reward.isFinite else { throw .nonFiniteInput("reward") }
        guard let index = arms.firstIndex(of: arm) else { throw .unknownArm(arm) }
        models[index].update(context: context, reward: reward)
    }
}
