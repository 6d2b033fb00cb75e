import ArgumentParser
import Remote
import Strategies

/// A strategy named on the command line: `als` or `item_knn:neighbours=100,similarity=cosine`.
struct StrategyArgument: ExpressibleByArgument, CustomStringConvertible {
    var name: String
    var parameters: [String: ParameterValue]
    var description: String

    init?(argument: String) {
        description = argument
        let parts = argument.split(separator: ":", maxSplits: 1)
        guard let first = parts.first, !first.isEmpty else { return nil }
        name = String(first)
        parameters = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",") {
                let keyValue = pair.split(separator: "=", maxSplits: 1)
                guard keyValue.count == 2 else { return nil }
                parameters[String(keyValue[0])] = .text(String(keyValue[1]))
            }
        }
    }

    /// A new strategy from the registry; errors name the parameter.
    func make() throws -> any RecommendationStrategy {
        do {
            return try EdgeStrategyFactory.make(name: name, parameters: parameters)
        } catch {
            throw ValidationError("--strategy \(description): \(error)")
        }
    }
}
