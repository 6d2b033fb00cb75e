/// An off-policy estimator of the candidate policy's mean reward from logs of another policy.
/// docs/ope.md says when each can be trusted.
public enum OffPolicyEstimator: Sendable, Hashable, CustomStringConvertible {
    /// Inverse propensity scoring: mean of w·r with w = π/μ, optionally clipped at `clip` (biased
    /// downward when clipping bites, lower variance).
    case inversePropensity(clip: Double? = nil)
    /// Self-normalised IPS: Σ w·r / Σ w; slightly biased, far less variance when weights are large.
    case selfNormalizedInversePropensity
    /// Direct method: mean over logged contexts of Σ_a π(a|x)·q̂(x, a) from a fitted reward model;
    /// low variance, biased when the model is wrong.
    case directMethod
    /// Doubly robust: direct method plus the IPS-weighted residual w·(r − q̂(x, a)); unbiased when
    /// either the propensities or the model are right.
    case doublyRobust

    public var description: String {
        switch self {
        case .inversePropensity(let clip): clip.map { "IPS(clip \($0))" } ?? "IPS"
        case .selfNormalizedInversePropensity: "SNIPS"
        case .directMethod: "DM"
        case .doublyRobust: "DR"
        }
    }

    /// Whether the estimator needs the candidate's whole distribution and a reward model.
    var needsRewardModel: Bool {
        switch self {
        case .directMethod, .doublyRobust: true
        case .inversePropensity, .selfNormalizedInversePropensity: false
        }
    }
}

/// The reward model q̂(x, a) behind the direct method and doubly robust.
public enum RewardModelKind: Sendable, Hashable {
    /// The mean logged reward of each action, ignoring context.
    case perActionMean
    /// One ridge regression per action on the context features plus an unpenalised intercept.
    case ridge(lambda: Double)
}
