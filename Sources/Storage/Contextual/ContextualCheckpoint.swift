import Bandits
import Engine
import Foundation
import PostgresClient
import Spec

/// One stored version of a contextual experiment's per-arm models (`abctl_contextual_models`).
public struct ContextualCheckpoint: Sendable, Equatable {
    public var experiment: String
    public var version: Int64
    /// The arm keys, in the order of `states`.
    public var arms: [String]
    /// The feature layout's names, intercept first.
    public var features: [String]
    public var states: [LinearArmState]
    /// Impressions shown before this time have been learned.
    public var dataUntil: Date
    /// Decisions folded in by this version.
    public var learned: Int

    /// Whether this checkpoint fits `spec`'s arms and features (a spec change that alters
    /// either starts the models again from the prior).
    public func fits(_ spec: ExperimentSpec) -> Bool {
        guard let layout = FeatureLayout(spec: spec) else { return false }
        return arms == spec.arms.map(\.key) && features == layout.names
    }

    /// The served model of `spec` from this checkpoint, or the prior when it does not fit.
    public func model(for spec: ExperimentSpec) throws -> ContextualModel {
        fits(spec) ? try ContextualModel(spec: spec, version: version, states: states) : try ContextualModel(spec: spec)
    }

    /// The latest checkpoint of every experiment that has one (`experiment` set: only that one).
    public static func latest(experiment: String? = nil, on db: PostgresConnection) throws -> [String: ContextualCheckpoint] {
        let rows = try db.query(
            """
            SELECT DISTINCT ON (experiment) experiment, model_version, arms, features, design, response, updates, data_until, learned
            FROM abctl_contextual_models
            WHERE \(experiment)::text IS NULL OR experiment = \(experiment)
            ORDER BY experiment, model_version DESC
            """
        )
        var checkpoints: [String: ContextualCheckpoint] = [:]
        for row in rows {
            let (name, version, arms, features, design, response, updates, until, learned) = try row.decode(
                (String, Int64, [String], [String], [Double], [Double], [Int], Date, Int).self
            )
            let d = features.count
            guard d > 0, design.count == arms.count * d * d, response.count == arms.count * d, updates.count == arms.count else {
                throw StorageError(
                    "The contextual model \(name) version \(version) is malformed",
                    advice: "Delete that row of abctl_contextual_models; the next learning pass writes a new version"
                )
            }
            let states = arms.indices.map { a in
                LinearArmState(
                    designMatrix: Array(design[(a * d * d)..<((a + 1) * d * d)]),
                    response: Array(response[(a * d)..<((a + 1) * d)]),
                    updates: updates[a]
                )
            }
            checkpoints[name] = ContextualCheckpoint(
                experiment: name,
                version: version,
                arms: arms,
                features: features,
                states: states,
                dataUntil: until,
                learned: learned
            )
        }
        return checkpoints
    }

    /// Stores this checkpoint for experiment version `experimentVersion`.
    func insert(experimentVersion: Int, on db: PostgresConnection) throws {
        let design = states.flatMap(\.designMatrix)
        let response = states.flatMap(\.response)
        let updates = states.map(\.updates)
        try db.execute(
            """
            INSERT INTO abctl_contextual_models
                (experiment, model_version, experiment_version, arms, features, design, response, updates, data_until, learned)
            VALUES (\(experiment), \(version), \(experimentVersion), \(arms), \(features), \(design), \(response), \(updates),
                    \(dataUntil), \(learned))
            """
        )
    }
}
