/// A parameter value as given to `StrategyRegistry.make`: text as written in YAML or on a
/// command line, or an already typed value. Validation converts and range-checks it.
public enum ParameterValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    case real(Double)
    case boolean(Bool)
    /// Component strategies of a hybrid.
    case strategies([StrategyComponent])

    /// The value as it would be written in YAML (components as `name:weight,...`).
    public var yamlText: String {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .strategies(let components): components.map { "\($0.strategy):\($0.weight)" }.joined(separator: ",")
        }
    }
}

extension ParameterValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

/// One strategy inside a hybrid: its registry name, its parameters and its blend weight.
public struct StrategyComponent: Sendable, Hashable {
    public var strategy: String
    public var parameters: [String: ParameterValue]
    public var weight: Double

    public init(strategy: String, parameters: [String: ParameterValue] = [:], weight: Double = 1) {
        self.strategy = strategy
        self.parameters = parameters
        self.weight = weight
    }
}
