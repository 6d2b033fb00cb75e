/// Thompson sampling in its batched form: the weight of each arm is the probability that
/// one Thompson draw picks it, P(arm has the largest mean | data), computed by numerical
/// integration (see `probabilityOfBeingBest`), not by sampling. Drawing each decision from
/// these weights is the same in distribution as drawing a posterior sample per decision.
struct ThompsonPolicy: AllocationPolicy {
    let model: PolicyDescription.RewardModel

    var description: PolicyDescription { .thompson(model) }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        let marginals = statistics.map { model.posterior(of: $0.reward) }
        return ArmWeights(uncheckedArms: arms, values: probabilityOfBeingBest(marginals))
    }
}
