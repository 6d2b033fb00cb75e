import Engine
import Foundation
import Logging
import PostgresClient
import Spec
import Storage

/// The experiments a server decides with, read from PostgreSQL in one go: the latest
/// version of each spec with its current status and the allocation in force.
public struct ExperimentSnapshot: Sendable {
    /// One experiment ready to assign. A class, so each decision's lookup takes one reference
    /// instead of copying (and retaining every field of) the spec and its assigner.
    public final class Entry: Sendable {
        public let spec: ExperimentSpec
        /// The stored spec version.
        public let version: Int
        public let assigner: ExperimentAssigner
        /// For a contextual bandit, the model that chooses each request's arm; nil otherwise.
        public let contextual: ContextualModel?

        init(spec: ExperimentSpec, version: Int, assigner: ExperimentAssigner, contextual: ContextualModel? = nil) {
            self.spec = spec
            self.version = version
            self.assigner = assigner
            self.contextual = contextual
        }
    }

    public var experiments: [String: Entry]

    public init(experiments: [String: Entry] = [:]) {
        self.experiments = experiments
    }

    /// Reads every experiment; a version that no longer decodes is skipped and logged.
    public static func load(from db: PostgresConnection, logger: Logger) throws -> ExperimentSnapshot {
        let rows = try db.query(
            """
            SELECT e.name, e.version, e.spec::text, s.status, a.allocation_version, a.weights::text, a.effective_from
            FROM (SELECT DISTINCT ON (name) name, version, spec FROM experiments ORDER BY name, version DESC) e
            LEFT JOIN LATERAL (
                SELECT status FROM experiment_status WHERE experiment = e.name ORDER BY changed_at DESC, id DESC LIMIT 1
            ) s ON true
            LEFT JOIN LATERAL (
                SELECT allocation_version, weights, effective_from FROM allocations
                WHERE experiment = e.name ORDER BY allocation_version DESC LIMIT 1
            ) a ON true
            """
        )
        var specs: [ExperimentSpec] = []
        var versions: [String: Int] = [:]
        var allocations: [String: Allocation] = [:]
        for row in rows {
            let (name, version, specJSON, status, allocationVersion, weightsJSON, effectiveFrom) = try row.decode(
                (String, Int, String, String?, Int64?, String?, Date?).self
            )
            do {
                var spec = try ExperimentSpec(canonicalJSON: specJSON)
                if let status, let parsed = ExperimentStatus(rawValue: status) { spec.status = parsed }
                if let allocationVersion, let weightsJSON, let effectiveFrom {
                    let weights = try JSONDecoder().decode([String: Double].self, from: Data(weightsJSON.utf8))
                    allocations[name] = Allocation(version: allocationVersion, weights: weights, start: effectiveFrom)
                }
                specs.append(spec)
                versions[name] = version
            } catch {
                logger.error("Skipping an experiment whose stored spec does not decode", metadata: ["experiment": "\(name)", "error": "\(error)"])
            }
        }
        let plan = try AssignmentPlan(specs: specs, allocations: allocations)
        let checkpoints = specs.contains { $0.allocation.bandit?.policy.isContextual == true } ? try ContextualCheckpoint.latest(on: db) : [:]
        var experiments: [String: Entry] = [:]
        for spec in specs {
            guard let assigner = plan.assigners[spec.name], let version = versions[spec.name] else { continue }
            var contextual: ContextualModel?
            if spec.allocation.bandit?.policy.isContextual == true {
                do {
                    contextual = try checkpoints[spec.name]?.model(for: spec) ?? ContextualModel(spec: spec)
                } catch {
                    logger.error(
                        "Skipping a contextual experiment whose model cannot be built",
                        metadata: ["experiment": "\(spec.name)", "error": "\(error)"]
                    )
                    continue
                }
            }
            experiments[spec.name] = Entry(spec: spec, version: version, assigner: assigner, contextual: contextual)
        }
        return ExperimentSnapshot(experiments: experiments)
    }
}
