import Foundation

/// ε-greedy: with probability ε a uniformly random arm, otherwise the arm with the best
/// observed mean (ties split equally). Its choice probabilities are exactly
/// w_i = ε_t / K + (1 − ε_t) · [i is best] / #best. An arm with no units counts as mean 0
/// (MABWiser's convention). ε_t follows the decay schedule in the update number t.
struct EpsilonGreedyPolicy: AllocationPolicy {
    let epsilon: Double
    let decay: PolicyDescription.EpsilonDecay

    var description: PolicyDescription { .epsilonGreedy(epsilon: epsilon, decay: decay) }

    /// ε after `update` updates.
    func epsilon(atUpdate update: Int) -> Double {
        let t = Double(max(0, update))
        return switch decay {
        case .none: epsilon
        case .inverse(let rate): epsilon / (1 + rate * t)
        case .exponential(let halfLife): epsilon * exp2(-t / halfLife)
        }
    }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        let e = epsilon(atUpdate: update)
        let greedy = argmaxShares(statistics.map { $0.mean ?? 0 })
        let k = Double(arms.count)
        return ArmWeights(uncheckedArms: arms, values: greedy.map { e / k + (1 - e) * $0 })
    }
}
