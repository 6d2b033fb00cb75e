import ArgumentParser

/// `--candidate`: the policy `abctl ope` evaluates.
///
/// - `arm:NAME`: always that arm (or, with `--csv`, always that action);
/// - `weights:a=0.2,b=0.8`: arms (actions) at fixed probabilities, normalised;
/// - `spec:FILE`: the arms of a spec at their weights, with the spec's reward metric and features;
/// - `columns`: with `--csv`, the per-row `pi_<action>` columns (the default when there are any);
/// - `strategy:NAME[:params]`: item-level, a strategy's top item (its saved model from `abctl train
///   --strategy`, else fitted on the interactions in PostgreSQL);
/// - `model:ARM`: item-level, the model `abctl train SPEC` saved for that arm of the experiment.
enum OPECandidate: ExpressibleByArgument, CustomStringConvertible {
    case arm(String)
    case weights([String: Double])
    case spec(String)
    case columns
    case strategy(StrategyArgument)
    case model(String)

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kind = parts.first else { return nil }
        let rest = parts.count == 2 ? parts[1] : ""
        switch kind {
        case "arm", "action":
            guard !rest.isEmpty else { return nil }
            self = .arm(rest)
        case "weights":
            var weights: [String: Double] = [:]
            for pair in rest.split(separator: ",") {
                let keyValue = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard keyValue.count == 2, let weight = Double(keyValue[1]), weight >= 0, weights[keyValue[0]] == nil else { return nil }
                weights[keyValue[0]] = weight
            }
            guard !weights.isEmpty else { return nil }
            self = .weights(weights)
        case "spec":
            guard !rest.isEmpty else { return nil }
            self = .spec(rest)
        case "columns":
            self = .columns
        case "strategy":
            guard let strategy = StrategyArgument(argument: rest) else { return nil }
            self = .strategy(strategy)
        case "model":
            guard !rest.isEmpty else { return nil }
            self = .model(rest)
        default:
            return nil
        }
    }

    var description: String {
        switch self {
        case .arm(let name): "arm:\(name)"
        case .weights(let weights): "weights:" + weights.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        case .spec(let path): "spec:\(path)"
        case .columns: "columns"
        case .strategy(let strategy): "strategy:\(strategy)"
        case .model(let arm): "model:\(arm)"
        }
    }

    /// Whether the candidate ranks items (item-level evaluation) rather than choosing arms.
    var isItemLevel: Bool {
        switch self {
        case .strategy, .model: true
        case .arm, .weights, .spec, .columns: false
        }
    }

    /// The fixed weights of an `arm:` or `weights:` candidate; nil for the others.
    var fixedWeights: [String: Double]? {
        switch self {
        case .arm(let name): [name: 1]
        case .weights(let weights): weights
        case .spec, .columns, .strategy, .model: nil
        }
    }
}
