/// Weights that split 1 equally between the arms whose score is the maximum: the exact
/// choice probabilities of a deterministic argmax policy that breaks ties uniformly at random.
/// Scores within 1e-12 (relative) of the maximum count as tied, so rounding noise does not pick a winner.
func argmaxShares(_ scores: [Double]) -> [Double] {
    let best = scores.max() ?? 0
    let tolerance = best.isFinite ? 1e-12 * max(1, abs(best)) : 0
    let tied = scores.map { $0 == best || $0 >= best - tolerance }
    let count = Double(tied.count { $0 })
    return tied.map { $0 ? 1 / count : 0 }
}
