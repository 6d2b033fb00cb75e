/// A metric the spec declares on outcome events (`metrics.definitions`, issue 20): each
/// exposed unit gets a value from its events of one type inside a window measured from its
/// first exposure, and the arms are compared on those values with the report's statistics.
public struct OutcomeMetric: Codable, Sendable, Equatable {
    /// How a unit's events become its value.
    public enum Aggregation: String, Codable, Sendable, CaseIterable {
        /// The number of events.
        case count
        /// The sum of the events' values (an event without a value adds 0).
        case sum
        /// 1 when the unit has at least one event, else 0 (a conversion).
        case any
        /// The mean event value over all the arm's events: Σ values / Σ events (a ratio, by
        /// the delta method).
        case mean
        /// Σ numerator / Σ denominator of two other declared metrics (delta method).
        case ratio
    }

    /// Winsorising of each unit's value before the statistics.
    public enum Cap: Codable, Sendable, Equatable {
        /// Values above this are set to it.
        case value(Double)
        /// Values above this quantile (0.99) of the exposed units' values, all arms together,
        /// are set to it (linear interpolation, as PostgreSQL's percentile_cont).
        case percentile(Double)
    }

    /// The metric's name, as the report shows it.
    public var name: String
    /// The outcome event type read; nil for a ratio or a SQL source.
    public var eventType: String?
    /// A query over the shop's own tables returning `unit_id`, `timestamp` and optionally
    /// `value` (`source: {sql: ...}`); checked against PostgreSQL by `abctl apply`.
    public var sql: String?
    public var aggregation: Aggregation
    /// The numerator and denominator metrics of a ratio.
    public var numerator: String?
    public var denominator: String?
    public var cap: Cap?
    /// Events in [windowStart, windowEnd) after the unit's first exposure count; nil
    /// windowEnd: until the end of the data (the whole experiment).
    public var windowStart: SpecDuration
    public var windowEnd: SpecDuration?
    /// Whether the metric was written as `retention:` (any event between two days).
    public var isRetention: Bool
    /// A guardrail on this metric (from `metrics.guardrails`): largest allowed drop
    /// relative to control, or in the metric's own units.
    public var maxRelativeDrop: Double?
    public var maxAbsoluteDrop: Double?

    public init(
        name: String,
        eventType: String?,
        sql: String? = nil,
        aggregation: Aggregation,
        numerator: String? = nil,
        denominator: String? = nil,
        cap: Cap? = nil,
        windowStart: SpecDuration = SpecDuration(seconds: 0),
        windowEnd: SpecDuration? = nil,
        isRetention: Bool = false,
        maxRelativeDrop: Double? = nil,
        maxAbsoluteDrop: Double? = nil
    ) {
        self.name = name
        self.eventType = eventType
        self.sql = sql
        self.aggregation = aggregation
        self.numerator = numerator
        self.denominator = denominator
        self.cap = cap
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.isRetention = isRetention
        self.maxRelativeDrop = maxRelativeDrop
        self.maxAbsoluteDrop = maxAbsoluteDrop
    }

    /// Whether a guardrail is set on this metric.
    public var hasGuardrail: Bool { maxRelativeDrop != nil || maxAbsoluteDrop != nil }

    enum CodingKeys: String, CodingKey {
        case name, aggregation, numerator, denominator, cap, sql
        case eventType = "event_type"
        case windowStart = "window_start"
        case windowEnd = "window_end"
        case isRetention = "retention"
        case maxRelativeDrop = "max_relative_drop"
        case maxAbsoluteDrop = "max_absolute_drop"
    }
}
