/// How a metric's per-unit values are summarised, which fixes its variance formula.
public enum MetricKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A mean of per-unit values (revenue per user): sample variance with n − 1.
    case mean
    /// A mean of per-unit 0/1 values (conversion): variance p(1 − p).
    case proportion
    /// Σx / Σy over units (CTR = clicks / impressions): variance by the delta method.
    case ratio
}

/// Whether the lift is reported as a difference or relative to the control mean.
public enum LiftScale: String, Sendable, Hashable, Codable, CaseIterable {
    /// treatment − control.
    case absolute
    /// (treatment − control) / control.
    case relative
}

/// The alternative hypothesis of a frequentist test, for treatment − control.
public enum Alternative: String, Sendable, Hashable, Codable, CaseIterable {
    /// The lift differs from the null value.
    case twoSided
    /// The lift is greater than the null value.
    case greater
    /// The lift is less than the null value.
    case less
}

/// Which way a metric should move for the treatment to be better.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Conversion, CTR, NDCG: up is good.
    case higherIsBetter
    /// Latency, bounce rate: down is good.
    case lowerIsBetter
}
