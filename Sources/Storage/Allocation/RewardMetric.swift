import Bandits
import Spec
import Stats

/// How a spec's reward metric is read from the evaluator and what the policy sees.
///
/// - conversion is 0/1 per unit: Bernoulli rewards, successes = converting units, trials =
///   units, with the spec's Beta(prior_alpha, prior_beta) prior (default Beta(1, 1)).
/// - revenue_per_unit is a plain mean per unit.
/// - precision@K, ndcg@K, mrr, hit@K and ctr are ratios over each unit's impressions. The
///   policy sees the delta-method linearisation z_u = R + (x_u − R·y_u)/ȳ of each unit,
///   whose mean is the ratio R = Σx/Σy and whose sample variance is the delta-method
///   variance of one unit (`SufficientStatistics.estimate(kind: .ratio)`), so the arm's
///   count stays the number of units, the unit of randomisation.
///
/// Continuous rewards use Thompson's normal model with prior Normal(0, 1) when the metric
/// lies in [0, 1], and the effectively flat Normal(0, 10⁶) for ctr and revenue per unit.
struct RewardMetric: Sendable {
    let name: MetricName

    /// The metric column of `abctl_arm_statistics`, or nil when the metric is not logged online.
    var sqlName: String? {
        switch name.kind {
        case .precision: "precision@k"
        case .ndcg: "ndcg@k"
        case .mrr: "mrr"
        case .hit: "hit@k"
        case .ctr: "ctr"
        case .conversion: "conversion"
        case .revenuePerUnit: "revenue_per_unit"
        case .recall: nil
        }
    }

    /// Whether each unit's reward is 0 or 1.
    var isBinary: Bool { name.kind == .conversion }

    /// The statistics layer's kind of this metric.
    var kind: MetricKind {
        switch name.kind {
        case .conversion: .proportion
        case .revenuePerUnit: .mean
        default: .ratio
        }
    }

    /// The Thompson reward model, with the spec's Beta prior for binary rewards.
    func rewardModel(priorAlpha: Double, priorBeta: Double) -> PolicyDescription.RewardModel {
        if isBinary { return .bernoulli(priorAlpha: priorAlpha, priorBeta: priorBeta) }
        switch name.kind {
        case .ctr, .revenuePerUnit: return .normal(priorMean: 0, priorStandardDeviation: 1e6)
        default: return .normal(priorMean: 0, priorStandardDeviation: 1)
        }
    }

    /// The reward statistics the policy sees for `arm`, from the evaluator's per-unit sums.
    func armStatistics(arm: String, _ s: SufficientStatistics) -> ArmStatistics {
        guard kind == .ratio else {
            return ArmStatistics(arm: arm, reward: SufficientStatistics(count: s.count, sum: s.sum, sumOfSquares: s.sumOfSquares))
        }
        let n = s.count
        guard n > 0, let denominator = s.denominatorSum, denominator > 0 else { return ArmStatistics(arm: arm, reward: .zero) }
        let estimate = s.estimate(kind: .ratio)
        let ratio = s.sum / denominator
        // Σz = n·R and Σz² = (n − 1)·σ²_delta + n·R², so the sample variance of z is σ²_delta.
        let squares = max(0, n - 1) * max(0, estimate.variance) + n * ratio * ratio
        return ArmStatistics(arm: arm, reward: SufficientStatistics(count: n, sum: n * ratio, sumOfSquares: squares))
    }
}
