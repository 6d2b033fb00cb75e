import Foundation

/// Softmax (Boltzmann exploration): w_i = exp(mean_i / τ) / Σ_j exp(mean_j / τ), computed
/// after subtracting the largest mean so no exponential overflows. An arm with no units
/// counts as mean 0 (MABWiser's convention).
struct SoftmaxPolicy: AllocationPolicy {
    let temperature: Double

    var description: PolicyDescription { .softmax(temperature: temperature) }

    func weights<G: RandomNumberGenerator>(
        for statistics: [ArmStatistics],
        update: Int,
        using generator: inout G
    ) throws(BanditsError) -> ArmWeights {
        let arms = try statistics.validated()
        let means = statistics.map { $0.mean ?? 0 }
        let top = means.max() ?? 0
        return .normalising(arms: arms, scores: means.map { exp(($0 - top) / temperature) })
    }
}
