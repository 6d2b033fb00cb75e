import Foundation

/// UCB1 (Auer, Cesa-Bianchi and Fischer 2002): choose the arm with the highest
/// mean + c·√(2 ln N / n), N the total units and n the arm's units. Arms with no units have
/// an infinite index, so they are tried first. The weights are the exact choice
/// probabilities of that argmax: 1 on the best arm, split equally on ties.
struct UCB1Policy: AllocationPolicy {
    let exploration: Double

    var description: PolicyDescription { .ucb1(exploration: exploration) }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        let logTotal = log(max(1, statistics.totalCount))
        let scores = statistics.map { s -> Double in
            guard let mean = s.mean else { return .infinity }
            return mean + exploration * (2 * logTotal / s.reward.count).squareRoot()
        }
        return ArmWeights(uncheckedArms: arms, values: argmaxShares(scores))
    }
}
