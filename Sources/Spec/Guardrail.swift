/// A metric that must not get worse than allowed; exactly one of the two drops is set.
public struct Guardrail: Codable, Sendable, Equatable {
    public var metric: MetricName
    /// Largest allowed drop relative to control (0.05 = 5 %).
    public var maxRelativeDrop: Double?
    /// Largest allowed drop in the metric's own units.
    public var maxAbsoluteDrop: Double?

    public init(metric: MetricName, maxRelativeDrop: Double? = nil, maxAbsoluteDrop: Double? = nil) {
        self.metric = metric
        self.maxRelativeDrop = maxRelativeDrop
        self.maxAbsoluteDrop = maxAbsoluteDrop
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case maxRelativeDrop = "max_relative_drop"
        case maxAbsoluteDrop = "max_absolute_drop"
    }
}
