import ArgumentParser
import Remote
import Strategies

/// A strategy named on the command line: `als` or `item_knn:neighbours=100,similarity=cosine`.
/// A piece without `=` continues the value before it, so a hybrid's components can be listed:
/// `hybrid:mode=fallback,components=item_knn:0.7,popularity:0.3` (each with default parameters).
struct StrategyArgument: ExpressibleByArgument, CustomStringConvertible {
    var name: String
    var parameters: [String: ParameterValue]
    var description: String

    init?(argument: String) {
        description = argument
        let parts = argument.split(separator: ":", maxSplits: 1)
        guard let first = parts.first, !first.isEmpty else { return nil }
        name = String(first)
        var values: [String: String] = [:]
        var lastKey: String?
        let pieces = parts.count == 2 ? parts[1].split(separator: ",") : []
        for piece in pieces {
            let keyValue = piece.split(separator: "=", maxSplits: 1)
            if keyValue.count == 2 {
                lastKey = String(keyValue[0])
                values[String(keyValue[0])] = String(keyValue[1])
            } else if let key = lastKey, !piece.contains("=") {
                values[key, default: ""] += "," + piece
            } else {
                return nil
            }
        }
        parameters = values.mapValues { .text($0) }
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
