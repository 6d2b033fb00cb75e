import Foundation
import PostgresClient
import Remote
import Spec
import Storage
import Strategies

extension StrategyRanker {
    /// Brings the strategies in line with `snapshot`: loads model files that are new or
    /// changed since the last call, fits in-process (from the interactions and feedback in
    /// PostgreSQL) the arms that have no file, and keeps everything else as it is, online
    /// updates included. Arms with the same strategy and parameters share one fitted model.
    /// Blocking: runs on the reloader's thread, or before the server listens.
    public func synchronise(with snapshot: ExperimentSnapshot, db: PostgresConnection) {
        let previous = loaded.withLock { $0 }
        var next: [String: Loaded] = [:]
        var fitted: [String: any RecommendationStrategy] = [:]
        for entry in previous.values {
            if case .fitted(let signature) = entry.origin { fitted[signature] = entry.strategy }
        }
        var training: (interactions: [Interaction], catalogue: ItemCatalogue)?
        for name in snapshot.experiments.keys.sorted() {
            guard let entry = snapshot.experiments[name] else { continue }
            for arm in entry.spec.arms {
                let key = Self.key(name, arm.key)
                if let file = loadFromFile(experiment: name, arm: arm, previous: previous[key]) {
                    next[key] = file
                    continue
                }
                let signature = arm.strategy + " " + arm.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                if let shared = fitted[signature] {
                    next[key] = Loaded(strategy: shared, origin: .fitted(signature: signature))
                    continue
                }
                do {
                    let strategy = try EdgeStrategyFactory.make(arm)
                    if training == nil {
                        let store = TrainingDataStore(connection: db)
                        let interactions = try store.interactions(includeFeedback: true)
                        training = (interactions, try store.catalogue(including: interactions))
                    }
                    let started = Date()
                    if let training, !training.interactions.isEmpty {
                        try strategy.fit(training.interactions, catalogue: training.catalogue)
                    }
                    fitted[signature] = strategy
                    next[key] = Loaded(strategy: strategy, origin: .fitted(signature: signature))
                    logger.info(
                        "Fitted an arm's strategy in process (no model file)",
                        metadata: [
                            "experiment": "\(name)", "arm": "\(arm.key)", "strategy": "\(arm.strategy)",
                            "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))",
                        ]
                    )
                } catch {
                    logger.error(
                        "An arm's strategy could not be built; it is served by popularity",
                        metadata: ["experiment": "\(name)", "arm": "\(arm.key)", "error": "\(error)"]
                    )
                }
            }
        }
        loaded.withLock { $0 = Self.keepingCosts(next, from: previous) }
        // The fill-in ranking: counted from the data just read for fitting, else read once.
        if let training {
            popularity.withLock { $0 = PopularityRanker(interactions: training.interactions, catalogue: training.catalogue) }
        } else if popularity.withLock({ $0 == nil }), let loaded = try? PopularityRanker.load(from: db) {
            popularity.withLock { $0 = loaded }
        }
    }

    /// The arm's model file if there is one whose strategy matches the arm: the one already
    /// loaded when the file has not changed, else freshly read. Nil when there is no usable file.
    private func loadFromFile(experiment: String, arm: ArmSpec, previous: Loaded?) -> Loaded? {
        let file = models.file(experiment: experiment, arm: arm.key)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        if let previous, previous.origin == .file(modified: modified) { return previous }
        do {
            let strategy = try StrategyRegistry.load(Data(contentsOf: file))
            guard strategy.name == arm.strategy else {
                logger.warning(
                    "A model file holds another strategy than the arm's; fitting in process instead",
                    metadata: ["file": "\(file.path)", "file_strategy": "\(strategy.name)", "arm_strategy": "\(arm.strategy)"]
                )
                return nil
            }
            logger.info("Loaded an arm's model", metadata: ["experiment": "\(experiment)", "arm": "\(arm.key)", "file": "\(file.path)"])
            return Loaded(strategy: strategy, origin: .file(modified: modified))
        } catch {
            logger.error("A model file could not be read; fitting in process instead", metadata: ["file": "\(file.path)", "error": "\(error)"])
            return nil
        }
    }
}
