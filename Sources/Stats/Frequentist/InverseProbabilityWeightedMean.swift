/// The value of always serving one arm, estimated from decisions logged by a policy that chose
/// arms with known probabilities (a contextual bandit's propensities): inverse-propensity
/// weighting over every logged decision i = 1…n, with w_i = 1{A_i = arm} / p_i.
///
/// - Horvitz–Thompson: V̂ = (1/n) Σ w_i r_i, standard error √(s²(w·r) / n), s² the sample variance.
/// - Self-normalised (Hájek): V̂ = Σ w_i r_i / Σ w_i, standard error by the delta method,
///   √(s²(w·(r − V̂)) / n) / w̄ with w̄ = Σ w_i / n; it trades a small bias for a lower
///   variance when the weights are large, and stays inside the rewards' range.
///
/// Intervals are normal (z = 1.96 at 95%). Decisions of other arms count in n (with w = 0):
/// the estimator must not drop data because of what the policy chose. Coverage under an
/// adaptive (learning) logging policy is measured by `IPWCalibrationTests` (docs/statistics.md).
public struct InverseProbabilityWeightedMean: Sendable, Equatable {
    /// The two estimators.
    public enum Kind: String, Sendable, CaseIterable {
        case horvitzThompson = "horvitz-thompson"
        case selfNormalised = "self-normalised"
    }

    public var kind: Kind
    /// The estimated value of the arm.
    public var value: Double
    public var standardError: Double
    /// Decisions logged (all arms).
    public var decisions: Int
    /// Decisions that served the arm.
    public var served: Int

    /// The (1 − α) normal interval.
    public func interval(alpha: Double = 0.05) -> (lower: Double, upper: Double) {
        let z = Normal.quantile(1 - alpha / 2)
        return (value - z * standardError, value + z * standardError)
    }

    /// The estimate of `arm`'s value from `decisions` (chosen arm, reward, propensity of the
    /// chosen arm in (0, 1]); nil when no decision served the arm or a propensity is not in (0, 1].
    public static func estimate(
        arm: String,
        decisions: [(arm: String, reward: Double, propensity: Double)],
        kind: Kind
    ) -> InverseProbabilityWeightedMean? {
        let n = Double(decisions.count)
        guard decisions.allSatisfy({ $0.propensity > 0 && $0.propensity <= 1 && $0.reward.isFinite }) else { return nil }
        let weights = decisions.map { $0.arm == arm ? 1 / $0.propensity : 0 }
        let served = decisions.lazy.filter { $0.arm == arm }.count
        guard served > 0, n > 1 else { return nil }
        let weightSum = weights.reduce(0, +)
        let terms: [Double]
        let value: Double
        switch kind {
        case .horvitzThompson:
            terms = zip(weights, decisions).map { $0 * $1.reward }
            value = terms.reduce(0, +) / n
        case .selfNormalised:
            value = zip(weights, decisions).reduce(0) { $0 + $1.0 * $1.1.reward } / weightSum
            terms = zip(weights, decisions).map { $0 * ($1.reward - value) }
        }
        let mean = terms.reduce(0, +) / n
        let variance = terms.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        var standardError = (variance / n).squareRoot()
        if kind == .selfNormalised { standardError /= weightSum / n }
        return InverseProbabilityWeightedMean(kind: kind, value: value, standardError: standardError, decisions: decisions.count, served: served)
    }
}
