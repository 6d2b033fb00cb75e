/// A metric that must not get worse by more than an allowed amount.
public struct Guardrail: Sendable, Hashable, Codable {
    /// The largest tolerated degradation, a positive number on the lift's scale (0.02 with a
    /// relative scale: at most 2% worse).
    public var allowedDegradation: Double
    /// The scale of `allowedDegradation`.
    public var scale: LiftScale
    /// Which way is better for this metric.
    public var direction: Direction

    public init(allowedDegradation: Double, scale: LiftScale = .relative, direction: Direction = .higherIsBetter) {
        self.allowedDegradation = abs(allowedDegradation)
        self.scale = scale
        self.direction = direction
    }

    /// The lift at the tolerance boundary: −d when higher is better, +d when lower is better.
    public var boundary: Double { direction == .higherIsBetter ? -allowedDegradation : allowedDegradation }
}

/// Where a guardrail metric's lift interval sits relative to its tolerance.
public enum GuardrailStatus: String, Sendable, Hashable, Codable {
    /// The whole interval is on the good side of the boundary: no harmful degradation.
    case passed
    /// The interval crosses the boundary: a degradation beyond tolerance cannot be ruled out.
    case atRisk
    /// The whole interval is beyond the boundary: the metric degraded beyond tolerance.
    case breached
}

extension Guardrail {
    /// Classifies the lift interval (on this guardrail's scale) against the tolerance.
    public func status(of interval: Interval) -> GuardrailStatus {
        let lower = interval.lower ?? -.infinity
        let upper = interval.upper ?? .infinity
        switch direction {
        case .higherIsBetter:
            if lower > boundary { return .passed }
            return upper < boundary ? .breached : .atRisk
        case .lowerIsBetter:
            if upper < boundary { return .passed }
            return lower > boundary ? .breached : .atRisk
        }
    }
}
