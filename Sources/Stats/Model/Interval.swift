/// A confidence or credible interval; a nil bound is unbounded (one-sided tests), so JSON
/// output never holds infinity.
public struct Interval: Sendable, Hashable, Codable {
    /// The lower bound, nil for −∞.
    public var lower: Double?
    /// The upper bound, nil for +∞.
    public var upper: Double?

    public init(lower: Double?, upper: Double?) {
        self.lower = lower
        self.upper = upper
    }

    /// An interval from bounds that may be infinite.
    init(_ lower: Double, _ upper: Double) {
        self.lower = lower.isFinite ? lower : nil
        self.upper = upper.isFinite ? upper : nil
    }

    /// Whether x lies inside the interval.
    public func contains(_ x: Double) -> Bool {
        (lower.map { $0 <= x } ?? true) && (upper.map { x <= $0 } ?? true)
    }
}
