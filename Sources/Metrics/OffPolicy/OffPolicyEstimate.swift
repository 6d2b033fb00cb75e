/// One estimator's answer: the point estimate, a bootstrap percentile interval, the effective sample
/// size of the importance weights and any warning about the logs.
public struct OffPolicyEstimate: Sendable, Hashable {
    /// The estimator that produced this.
    public let estimator: OffPolicyEstimator
    /// Estimated mean reward of the candidate policy.
    public let value: Double
    /// Bootstrap percentile interval at the requested confidence.
    public let interval: ClosedRange<Double>
    /// (Σw)² / Σw² of the weights this estimator uses (clipped for clipped IPS): how many logged
    /// decisions the estimate is effectively worth. Equal to n when the policies agree.
    public let effectiveSampleSize: Double
    /// Problems with the logs that make the estimate hard to trust.
    public let warnings: [OffPolicyWarning]
}

/// A reason to distrust an off-policy estimate.
public enum OffPolicyWarning: Sendable, Hashable, CustomStringConvertible {
    /// The candidate puts `candidateMass` (mean over logged contexts) on actions the logs never took.
    case unloggedActions(actions: [Int], candidateMass: Double)
    /// `decisions` logged decisions had a logging propensity below `threshold` (smallest
    /// `smallestPropensity`) for an action the candidate favours: their weights dominate.
    case nearZeroPropensity(decisions: Int, smallestPropensity: Double, threshold: Double)
    /// The effective sample size is below `share` of the logged decisions.
    case smallEffectiveSampleSize(effective: Double, logged: Int)

    public var description: String {
        switch self {
        case .unloggedActions(let actions, let mass):
            let list = actions.map(String.init).joined(separator: ", ")
            return "the candidate puts \(Self.percent(mass)) of its mass on actions the logs never took (\(list)); "
                + "weighting estimators cannot see their reward and the direct method extrapolates"
        case .nearZeroPropensity(let count, let smallest, let threshold):
            return "\(count) logged decisions have logging propensity below \(threshold) (smallest \(smallest)) where the "
                + "candidate puts mass; their weights dominate IPS and DR, consider clipping or more exploration"
        case .smallEffectiveSampleSize(let effective, let logged):
            return "the importance weights are worth only \(Int(effective.rounded())) of \(logged) logged decisions; "
                + "expect wide intervals and prefer SNIPS or DR"
        }
    }

    private static func percent(_ share: Double) -> String { "\((share * 1000).rounded() / 10)%" }
}

/// Logs an off-policy evaluation cannot use, with the first offending decision.
public struct OffPolicyInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Index of the offending decision in the logs, nil when the logs as a whole are at fault.
    public let index: Int?
    /// What is wrong.
    public let message: String

    public var description: String {
        index.map { "logged decision \($0): \(message)" } ?? message
    }
}
