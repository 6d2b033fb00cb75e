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
    /// Metrics declared on outcome events (`metrics.definitions`, and a library file's),
    /// in name order; empty for a spec that declares none.
    public var definitions: [OutcomeMetric]

    public init(
        primary: MetricName,
        secondary: [MetricName] = [],
        guardrails: [Guardrail] = [],
        k: Int = 10,
        attributionWindow: SpecDuration = SpecDuration(seconds: 86_400),
        gains: [String: Double] = MetricsSpec.defaultGains,
        gain: GainKind = .linear,
        definitions: [OutcomeMetric] = []
    ) {
        self.primary = primary
        self.secondary = secondary
        self.guardrails = guardrails
        self.k = k
        self.attributionWindow = attributionWindow
        self.gains = gains
        self.gain = gain
        self.definitions = definitions
    }

    /// click 1, add_to_cart 2, purchase 3 (DESIGN.md).
    public static let defaultGains: [String: Double] = ["click": 1, "add_to_cart": 2, "purchase": 3]

    /// Every metric named anywhere: primary, secondary, guardrails.
    public var all: [MetricName] { [primary] + secondary + guardrails.map(\.metric) }

    enum CodingKeys: String, CodingKey {
        case primary, secondary, guardrails, k, gains, gain, definitions
        case attributionWindow = "attribution_window"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        primary = try container.decode(MetricName.self, forKey: .primary)
        secondary = try container.decode([MetricName].self, forKey: .secondary)
        guardrails = try container.decode([Guardrail].self, forKey: .guardrails)
        k = try container.decode(Int.self, forKey: .k)
        attributionWindow = try container.decode(SpecDuration.self, forKey: .attributionWindow)
        gains = try container.decode([String: Double].self, forKey: .gains)
        gain = try container.decode(GainKind.self, forKey: .gain)
        // Specs stored before issue 20 have none.
        definitions = try container.decodeIfPresent([OutcomeMetric].self, forKey: .definitions) ?? []
    }

    /// Leaves `definitions` out when there are none, so a spec that declares none keeps the
    /// canonical JSON (and the version) it had before issue 20.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(primary, forKey: .primary)
        try container.encode(secondary, forKey: .secondary)
        try container.encode(guardrails, forKey: .guardrails)
        try container.encode(k, forKey: .k)
        try container.encode(attributionWindow, forKey: .attributionWindow)
        try container.encode(gains, forKey: .gains)
        try container.encode(gain, forKey: .gain)
        if !definitions.isEmpty { try container.encode(definitions, forKey: .definitions) }
    }

    /// The declared metric called `name`, if any.
    public func definition(named name: String) -> OutcomeMetric? {
        definitions.first { $0.name == name }
    }
}

/// How a grade turns into DCG gain: `r` or `2^r − 1`.
public enum GainKind: String, Codable, Sendable, CaseIterable {
    case linear
    case exponential
}
