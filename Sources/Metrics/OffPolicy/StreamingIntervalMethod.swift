/// How a streaming off-policy evaluation builds its intervals without holding the logs.
public enum StreamingIntervalMethod: Sendable, Hashable, CustomStringConvertible {
    /// Normal interval from the per-decision influence of each estimator: the spread of w·r for
    /// IPS, the delta method for SNIPS, and for DM and DR the sandwich term of the ridge model
    /// fitted in the first pass. Cheap (O(actions · features²) per decision); asymptotic.
    case normal
    /// Percentile interval from `replicates` Poisson(1) bootstrap replicates kept as running sums;
    /// each decision's replicate weights are drawn from a generator seeded by the options' seed and
    /// the decision's key, so both passes agree and the reward model is refitted per replicate.
    case poissonBootstrap(replicates: Int)

    public var description: String {
        switch self {
        case .normal: "normal"
        case .poissonBootstrap(let replicates): "Poisson bootstrap (\(replicates) replicates)"
        }
    }
}
