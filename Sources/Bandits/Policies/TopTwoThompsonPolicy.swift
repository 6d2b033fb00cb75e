/// Top-two Thompson sampling (Russo 2016). One decision draws a posterior sample; its best
/// arm I (the leader) is played with probability β; otherwise samples are re-drawn until
/// their best arm J differs from I, and J (the challenger) is played. With α_i = P(arm i is
/// best), P(J = j | I = i) = α_j / Σ_{l≠i} α_l, so the exact choice probabilities are
/// w_j = β·α_j + (1 − β)·Σ_{i≠j} α_i · α_j / Σ_{l≠i} α_l.
/// When some leader has all the probability (Σ_{l≠i} α_l = 0 in floating point), re-drawing
/// would never end; its challenger is then the other arm with the highest posterior mean.
struct TopTwoThompsonPolicy: AllocationPolicy {
    let model: PolicyDescription.RewardModel
    let beta: Double

    var description: PolicyDescription { .topTwoThompson(model, beta: beta) }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        let marginals = statistics.map { model.posterior(of: $0.reward) }
        let leader = probabilityOfBeingBest(marginals)
        guard arms.count > 1 else { return ArmWeights(uncheckedArms: arms, values: [1]) }
        var values = leader.map { beta * $0 }
        let total = leader.reduce(0, +)
        for i in leader.indices where leader[i] > 0 {
            let others = total - leader[i]
            if others > 0 {
                for j in leader.indices where j != i {
                    values[j] += (1 - beta) * leader[i] * leader[j] / others
                }
            } else {
                let means = marginals.indices.map { $0 == i ? -Double.infinity : marginals[$0].mean }
                let shares = argmaxShares(means)
                for j in leader.indices { values[j] += (1 - beta) * leader[i] * shares[j] }
            }
        }
        return .normalising(arms: arms, scores: values)
    }
}
