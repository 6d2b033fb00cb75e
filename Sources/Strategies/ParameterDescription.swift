/// What one strategy parameter accepts: its type, default, range and meaning. Spec
/// validation checks a spec's `params:` against these, and `abctl strategies` prints them.
public struct ParameterDescription: Sendable, Hashable {
    /// The kinds of value a parameter takes.
    public enum Kind: Sendable, Hashable {
        case integer(minimum: Int?, maximum: Int?)
        case real(minimum: Double?, maximum: Double?)
        case boolean
        /// One of a closed set of words.
        case choice([String])
        /// Free text (a URL, a field name).
        case text
        /// A list of strategy references (for hybrids), each `{strategy: name, params: {...}, weight: x}`.
        case strategies
    }

    public var name: String
    public var kind: Kind
    /// The default as it would be written in YAML; nil when the parameter is required.
    public var defaultValue: String?
    /// One line for people.
    public var summary: String

    public init(name: String, kind: Kind, defaultValue: String?, summary: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// Whether a spec must give this parameter.
    public var isRequired: Bool { defaultValue == nil }
}

/// A strategy as the spec layer sees it: its registry name, one line, and its parameters.
public struct StrategyDescription: Sendable, Hashable {
    public var name: String
    public var summary: String
    public var parameters: [ParameterDescription]

    public init(name: String, summary: String, parameters: [ParameterDescription]) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
    }

    /// The parameter called `name`, if the strategy has one.
    public func parameter(named name: String) -> ParameterDescription? {
        parameters.first { $0.name == name }
    }
}
