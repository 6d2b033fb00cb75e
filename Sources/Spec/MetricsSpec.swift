/// What an experiment measures and how feedback becomes relevance.
public struct MetricsSpec: Codable, Sendable, Equatable {
    public var primary: MetricName
    public var secondary: [MetricName]
    public var guardrails: [Guardrail]
    /// Default cut-off for ranked metrics written without `@K`, and the list length served.
    public var k: Int
    /// How long after an impression feedback still counts.
    public var attributionWindow: SpecDuration
    /// Relevance grade of each feedback event type.
    public var gains: [String: Double]
    public var gain: GainKind

    public init(
        primary: MetricName,
        secondary: [MetricName] = [],
        guardrails: [Guardrail] = [],
        k: Int = 10,
        attributionWindow: SpecDuration = SpecDuration(seconds: 86_400),
        gains: [String: Double] = MetricsSpec.defaultGains,
        gain: GainKind = .linear
    ) {
        self.primary = primary
        self.secondary = secondary
        self.guardrails = guardrails
        self.k = k
        self.attributionWindow = attributionWindow
        self.gains = gains
        self.gain = gain
    }

    /// click 1, add_to_cart 2, purchase 3 (DESIGN.md).
    public static let defaultGains: [String: Double] = ["click": 1, "add_to_cart": 2, "purchase": 3]

    /// Every metric named anywhere: primary, secondary, guardrails.
    public var all: [MetricName] { [primary] + secondary + guardrails.map(\.metric) }

    enum CodingKeys: String, CodingKey {
        case primary, secondary, guardrails, k, gains, gain
        case attributionWindow = "attribution_window"
    }
}

/// How a grade turns into DCG gain: `r` or `2^r − 1`.
public enum GainKind: String, Codable, Sendable, CaseIterable {
    case linear
    case exponential
}
