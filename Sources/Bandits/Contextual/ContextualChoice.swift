/// One contextual decision: the arm chosen and the probability the policy had of choosing
/// it given the context (the propensity logged with the impression for off-policy evaluation).
public struct ContextualChoice: Sendable, Hashable, Codable {
    /// The chosen arm's key.
    public var arm: String
    /// P(this arm | context, model) under the policy's own randomisation.
    public var propensity: Double
}

/// A policy that chooses an arm per request from a numeric context and learns online.
public protocol ContextualPolicy: Sendable {
    /// The arm keys, in order.
    var arms: [String] { get }
    /// The probability of choosing each arm for `context`, in `arms` order.
    func probabilities(context: [Double]) throws(BanditsError) -> [Double]
    /// The probability of choosing arm `index` for `context`, computed as `choose` computes the
    /// chosen arm's propensity (so the two agree exactly).
    func probability(of index: Int, context: [Double]) throws(BanditsError) -> Double
    /// Chooses an arm for `context`, drawing any randomness from `generator`.
    func choose<G: RandomNumberGenerator>(context: [Double], using generator: inout G) throws(BanditsError) -> ContextualChoice
    /// Learns from the reward observed after `arm` was shown for `context`.
    mutating func update(context: [Double], arm: String, reward: Double) throws(BanditsError)
    /// Each arm's learned state, in `arms` order (for a checkpoint).
    var armStates: [LinearArmState] { get }
    /// Replaces the arms' models with `states` (in `arms` order), e.g. from a checkpoint.
    mutating func restore(_ states: [LinearArmState]) throws(BanditsError)
}

/// Checks the shared inputs of a contextual policy's initialiser.
func validateContextual(arms: [String], dimension: Int, ridge: Double) throws(BanditsError) {
    guard !arms.isEmpty else { throw .noArms }
    guard Set(arms).count == arms.count else { throw .duplicateArms(arms) }
    try require(Double(dimension), "dimension", "between 1 and 256") { $0 >= 1 && $0 <= 256 }
    try require(ridge, "ridge", "finite and > 0") { $0.isFinite && $0 > 0 }
}

/// Checks a context vector has the model's length and finite values.
func validateContext(_ context: [Double], dimension: Int) throws(BanditsError) {
    guard context.count == dimension else { throw .contextDimension(expected: dimension, actual: context.count) }
    guard context.allSatisfy(\.isFinite) else { throw .nonFiniteInput("context") }
}

/// Picks an index with probability `probabilities[i]` (they sum to 1).
func drawIndex<G: RandomNumberGenerator>(_ probabilities: [Double], using generator: inout G) -> Int {
    var u = generator.nextUnitDouble()
    for (i, p) in probabilities.enumerated() {
        if u < p { return i }
        u -= p
    }
    return probabilities.lastIndex { $0 > 0 } ?? 0
}

/// The models holding `states`, one per arm; throws when a state does not fit.
func restoredModels(_ states: [LinearArmState], arms: [String], dimension: Int) throws(BanditsError) -> [LinearArmModel] {
    guard states.count == arms.count else { throw .invalidWeights("\(states.count) arm states for \(arms.count) arms") }
    var models: [LinearArmModel] = []
    for (arm, state) in zip(arms, states) {
        guard let model = LinearArmModel(state: state, dimension: dimension) else { throw .invalidStatistics(arm: arm) }
        models.append(model)
    }
    return models
}
