import Foundation

/// UCB-Tuned (Auer, Cesa-Bianchi and Fischer 2002): the index is
/// mean + √(ln N / n · min(1/4, V)), with V = variance + √(2 ln N / n) an upper bound on the
/// arm's reward variance (1/4 is the largest variance of a reward in [0, 1]). Arms with no
/// units come first; ties split equally.
struct UCBTunedPolicy: AllocationPolicy {
    var description: PolicyDescription { .ucbTuned }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        let logTotal = log(max(1, statistics.totalCount))
        let scores = statistics.map { s -> Double in
            guard let mean = s.mean else { return .infinity }
            let n = s.reward.count
            let varianceBound = s.variance + (2 * logTotal / n).squareRoot()
            return mean + (logTotal / n * min(0.25, varianceBound)).squareRoot()
        }
        return ArmWeights(uncheckedArms: arms, values: argmaxShares(scores))
    }
}
