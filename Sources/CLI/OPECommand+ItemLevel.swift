import ArgumentParser
import Foundation
import Metrics
import PostgresClient
import Spec
import Storage
import Strategies

extension OPECommand {
    /// `--candidate strategy:…` or `model:ARM`: item-level evaluation, the action being the item at
    /// position 1 (see `ItemLevelEvaluation` and docs/ope.md).
    func evaluateItemLevel(experiment: String, spec: ExperimentSpec?, connection: PostgresConnection) throws -> OPEReport {
        let strategy = try candidateStrategy(experiment: experiment, connection: connection)
        let settings = try readerSettings(experiment: experiment, spec: spec, itemLevel: true)
        let evaluation = try ItemLevelEvaluation(reader: OffPolicyLogReader(connection: connection, settings: settings))
        // The candidate ranks the same way for a unit in both passes; rank each unit once.
        var topByUnit: [String: String?] = [:]
        let result = try evaluation.run(
            try selectedEstimators(),
            options: evaluationOptions(featureCount: settings.features.count),
            interval: intervalMethod
        ) { impression in
            if let cached = topByUnit[impression.unitID] { return cached }
            let top = strategy.recommend(RecommendationRequest(unit: impression.unitID, k: 1)).first?.item
            topByUnit[impression.unitID] = top
            return top
        }
        var source = "experiment \(experiment), item level: action = item at position 1, reward = its grade "
        source += "(candidate \(candidate?.description ?? ""); it agrees with the logged top item on \(result.agreements) of \(result.decisions))"
        if result.skipped > 0 { source += "; \(result.skipped) impressions without items skipped" }
        return OPEReport(
            source: source,
            decisions: result.decisions,
            actions: result.actions,
            features: settings.features.map(\.description),
            rewardModel: evaluationOptions(featureCount: settings.features.count).rewardModel,
            interval: intervalMethod,
            confidence: confidence,
            estimates: result.estimates
        )
    }

    /// The candidate's fitted strategy: a saved model, else (strategy: only) one fitted now.
    func candidateStrategy(experiment: String, connection: PostgresConnection) throws -> any RecommendationStrategy {
        let directory = ModelDirectory(explicit: models)
        switch candidate {
        case .model(let arm)?:
            let file = directory.file(experiment: experiment, arm: arm)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw ValidationError("no model for arm \(arm) at \(file.path); train it with `abctl train SPEC --arm \(arm)`")
            }
            return try StrategyRegistry.load(data)
        case .strategy(let argument)?:
            let file = directory.file(experiment: "_strategies", arm: argument.name)
            if argument.parameters.isEmpty, let data = FileManager.default.contents(atPath: file.path) {
                return try StrategyRegistry.load(data)
            }
            let strategy = try argument.make()
            let store = TrainingDataStore(connection: connection)
            let interactions = try store.interactions()
            guard !interactions.isEmpty else {
                throw ValidationError("there are no interactions to fit \(argument.name) on; load some with `abctl import interactions FILE`")
            }
            try strategy.fit(interactions, catalogue: try store.catalogue(including: interactions))
            return strategy
        default:
            throw ValidationError("item-level evaluation needs --candidate strategy:NAME or model:ARM")
        }
    }
}
