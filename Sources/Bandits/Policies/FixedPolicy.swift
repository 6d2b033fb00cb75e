/// Fixed weights per arm, normalised over the arms present in the statistics. Every arm in
/// the statistics must have a weight; weights for arms not present are ignored.
struct FixedPolicy: AllocationPolicy {
    let weights: [String: Double]

    var description: PolicyDescription { .fixed(weights: weights) }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        var scores: [Double] = []
        for arm in arms {
            guard let w = weights[arm] else { throw .unknownArm(arm) }
            scores.append(w)
        }
        guard scores.reduce(0, +) > 0 else { throw .invalidWeights("the fixed weights of arms \(arms) are all 0") }
        return .normalising(arms: arms, scores: scores)
    }
}
