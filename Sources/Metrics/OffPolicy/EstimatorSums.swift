/// Running weighted sums from which every estimator's value follows in O(1): one set for the full
/// logs and one per Poisson bootstrap replicate of a streaming evaluation.
struct EstimatorSums: Sendable {
    private(set) var count = 0.0
    private(set) var weightSum = 0.0
    private(set) var weightedRewardSum = 0.0
    private(set) var clippedSums: [Double]
    private(set) var directSum = 0.0
    private(set) var correctionSum = 0.0

    init(clipCount: Int) {
        clippedSums = [Double](repeating: 0, count: clipCount)
    }

    /// Counts one decision `m` times: importance weight `w`, reward `r`, the model's value of the
    /// candidate `direct` = Σ_a π(a|x)·q̂(x, a) and its prediction for the logged action.
    mutating func add(multiplicity m: Double, weight w: Double, reward r: Double, clips: [Double], direct: Double, loggedPrediction: Double) {
        count += m
        weightSum += m * w
        weightedRewardSum += m * w * r
        for slot in clips.indices { clippedSums[slot] += m * min(w, clips[slot]) * r }
        directSum += m * direct
        correctionSum += m * w * (r - loggedPrediction)
    }

    /// The value of each estimator, in order (the same formulas as the batch `EstimateComputer`).
    func values(_ estimators: [OffPolicyEstimator]) -> [Double] {
        var clipSlot = 0
        return estimators.map { estimator in
            switch estimator {
            case .inversePropensity(nil):
                return weightedRewardSum / count
            case .inversePropensity:
                defer { clipSlot += 1 }
                return clippedSums[clipSlot] / count
            case .selfNormalizedInversePropensity:
                return weightSum > 0 ? weightedRewardSum / weightSum : 0
            case .directMethod:
                return directSum / count
            case .doublyRobust:
                return (directSum + correctionSum) / count
            }
        }
    }
}
