import Spec
import Strategies

/// Builds the strategy of an arm from its spec: the registry name and the YAML parameters,
/// converted to the registry's parameter values (hybrid components included).
public enum StrategyFactory {
    /// A new, unfitted strategy for `arm`.
    public static func make(_ arm: ArmSpec) throws -> any RecommendationStrategy {
        try StrategyRegistry.make(name: arm.strategy, parameters: convert(arm.params))
    }

    /// Spec parameter values as the registry takes them.
    public static func convert(_ parameters: [String: Spec.ParameterValue]) -> [String: Strategies.ParameterValue] {
        parameters.mapValues(convert)
    }

    static func convert(_ value: Spec.ParameterValue) -> Strategies.ParameterValue {
        switch value {
        case .bool(let flag): return .boolean(flag)
        case .integer(let number): return .integer(number)
        case .real(let number): return .real(number)
        case .text(let text): return .text(text)
        case .list(let items):
            // A list of {strategy, params, weight} maps: hybrid components.
            let components = items.compactMap { item -> StrategyComponent? in
                guard case .map(let fields) = item, case .text(let name)? = fields["strategy"] else { return nil }
                var parameters: [String: Strategies.ParameterValue] = [:]
                if case .map(let params)? = fields["params"] { parameters = convert(params) }
                return StrategyComponent(strategy: name, parameters: parameters, weight: fields["weight"]?.number ?? 1)
            }
            return .strategies(components)
        case .map:
            return .text(value.description)
        }
    }
}
