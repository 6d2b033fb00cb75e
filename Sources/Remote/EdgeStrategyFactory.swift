import Engine
import Spec
import Strategies

/// Builds an arm's strategy including the ones only the edge can build (`remote`).
public enum EdgeStrategyFactory {
    /// The arm's strategy, unfitted.
    public static func make(_ arm: ArmSpec) throws -> any RecommendationStrategy {
        if arm.strategy == "remote" {
            return try RemoteStrategy.make(parameters: StrategyFactory.convert(arm.params))
        }
        return try StrategyFactory.make(arm)
    }

    /// A strategy by name and parameters, as the command line names them.
    public static func make(name: String, parameters: [String: Strategies.ParameterValue]) throws -> any RecommendationStrategy {
        if name == "remote" { return try RemoteStrategy.make(parameters: parameters) }
        return try StrategyRegistry.make(name: name, parameters: parameters)
    }
}
