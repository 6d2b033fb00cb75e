import Bandits
import Engine
import Foundation
import Logging
import Spec
import Storage

/// Makes decisions from memory: assigns the unit with the snapshot's assigner, serves the
/// fallback arm (with a reason) to units outside the experiment, ranks with the `Ranker`,
/// and queues the impression. Only sticky experiments touch PostgreSQL (through
/// `StickyAssignments`' cache), and a failure there falls back to plain assignment.
final class DecisionService: Sendable {
    let snapshots: SnapshotStore
    let ranker: any Ranker
    let sticky: StickyAssignments
    /// Sticky arms being recorded after their decisions were answered.
    let stickyWrites = PendingWrites()
    let impressions: ImpressionBuffer
    let metrics: ServerMetrics
    let logger: Logger
    let requestIDs = RequestIDs()

    init(
        snapshots: SnapshotStore,
        ranker: any Ranker,
        sticky: StickyAssignments,
        impressions: ImpressionBuffer,
        metrics: ServerMetrics,
        logger: Logger
    ) {
        self.snapshots = snapshots
        self.ranker = ranker
        self.sticky = sticky
        self.impressions = impressions
        self.metrics = metrics
        self.logger = logger
    }

    /// Makes and logs one decision; a refusal for a full impression buffer (503) is counted here,
    /// where it is answered, whichever kind of experiment it was.
    func decide(_ request: DecisionRequest, now: Date = Date()) async throws -> DecisionResponse {
        do {
            return try await decideUncounted(request, now: now)
        } catch let error as APIError where error.status == .serviceUnavailable {
            metrics.decisionsRefused.add(1, ordering: .relaxed)
            metrics.overloadResponses.add(1, ordering: .relaxed)
            throw error
        }
    }

    private func decideUncounted(_ request: DecisionRequest, now: Date) async throws -> DecisionResponse {
        let entry = try experiment(of: request)
        let spec = entry.spec
        if spec.type == .interleaving, let interleaved = try await decideInterleaved(request, entry: entry, now: now) { return interleaved }
        // A contextual policy chooses per request from the context, so a unit keeps no arm.
        let useSticky = spec.sticky && spec.status == .running && entry.contextual == nil
        var previous: String?
        if useSticky {
            do {
                previous = try await sticky.arm(experiment: spec.name, unit: request.unitID)
            } catch {
                logger.debug("Sticky lookup failed; assigning without it", metadata: ["error": "\(error)"])
            }
        }
        let requestID = requestIDs.next(at: now)
        let chosen = try choose(request, entry: entry, previousArm: previous, requestID: requestID, now: now)
        if useSticky && previous == nil, let arm = chosen.assigned {
            let sticky = sticky
            let logger = logger
            let stickyWrites = stickyWrites
            stickyWrites.begin()
            Task {
                defer { stickyWrites.end() }
                do { _ = try await sticky.remember(experiment: spec.name, unit: request.unitID, arm: arm) } catch {
                    logger.debug("Could not record the sticky arm", metadata: ["error": "\(error)"])
                }
            }
        }
        let ranked = await ranker.rank(rankRequest(request, arm: chosen.arm, of: spec.name))
        return try log(request, entry: entry, chosen: chosen, ranked: ranked, requestID: requestID, now: now)
    }

    /// The same decision as `decide` when it can be made on the event loop, else nil: an
    /// interleaved experiment, a sticky unit whose arm is not in memory, or an arm served by a
    /// remote model waits, and an arm too slow to rank there would stall the loop's other
    /// connections (`Ranker.rankImmediately` declines both), so `decide` makes those. Throws
    /// what `decide` throws; a full impression buffer is not counted as a refusal here: the
    /// caller hands the request to `decide`, which answers the 503 and counts it.
    func decideImmediately(_ request: DecisionRequest, now: Date = Date()) throws -> DecisionResponse? {
        let entry = try experiment(of: request)
        let spec = entry.spec
        guard spec.type != .interleaving else { return nil }
        var previous: String?
        if spec.sticky && spec.status == .running && entry.contextual == nil {
            guard let cached = sticky.cachedArm(experiment: spec.name, unit: request.unitID) else { return nil }
            previous = cached
        }
        let requestID = requestIDs.next(at: now)
        let chosen = try choose(request, entry: entry, previousArm: previous, requestID: requestID, now: now)
        guard
            let ranked = ranker.rankImmediately(rankRequest(request, arm: chosen.arm, of: spec.name))
        else {
            metrics.decisionsDeclinedByEventLoop.add(1, ordering: .relaxed)
            return nil
        }
        return try log(request, entry: entry, chosen: chosen, ranked: ranked, requestID: requestID, now: now)
    }

    /// What the chosen arm is asked to rank for `request`.
    private func rankRequest(_ request: DecisionRequest, arm: ArmSpec, of experiment: String) -> RankRequest {
        RankRequest(experiment: experiment, arm: arm, unitID: request.unitID, context: request.context, k: request.k, exclude: Set(request.exclude))
    }

    /// The experiment a valid request names.
    private func experiment(of request: DecisionRequest) throws -> ExperimentSnapshot.Entry {
        try request.validate()
        guard let entry = snapshots.current.experiments[request.experiment] else {
            throw APIError(.notFound, "There is no experiment called \"\(request.experiment)\"; apply its spec first", field: "experiment")
        }
        return entry
    }

    /// An arm chosen for a unit: the assigned one with its propensity, or the fallback with a reason.
    private struct Choice {
        var arm: ArmSpec
        /// The assigned arm's key; nil when the unit got the fallback.
        var assigned: String?
        var propensity: Double
        var allocationVersion: Int64
        var reason: String?
        /// For a contextual policy's choice: the feature vector it was chosen with and the model version.
        var features: [Double]? = nil
        var modelVersion: Int64? = nil
    }

    /// Assigns the unit (targeting, traffic, holdout, layer); a unit in a contextual experiment
    /// then gets the arm its model chooses from the request's context, with that propensity.
    private func choose(
        _ request: DecisionRequest,
        entry: ExperimentSnapshot.Entry,
        previousArm: String?,
        requestID: UUID,
        now: Date
    ) throws -> Choice {
        let spec = entry.spec
        let assignment = entry.assigner.assign(unit: request.unitID, context: request.context, previousArm: previousArm, now: now)
        let armKey: String
        let propensity: Double
        let reason: String?
        var features: [Double]?
        if assignment.arm != nil, let model = entry.contextual {
            let vector: [Double]
            do {
                vector = try model.layout.vector(from: request.context)
            } catch {
                throw APIError(.badRequest, error.description, field: error.field)
            }
            let contextual: ContextualChoice
            do {
                contextual = try model.choose(features: vector, requestID: requestID)
            } catch {
                throw APIError(.internalServerError, "The contextual model of \(spec.name) could not choose: \(error)")
            }
            armKey = contextual.arm
            propensity = contextual.propensity
            reason = nil
            features = vector
        } else if let arm = assignment.arm {
            armKey = arm
            propensity = assignment.propensity
            reason = nil
        } else {
            armKey = Self.fallbackArm(of: spec)
            // The fallback is served with certainty to every excluded unit.
            propensity = 1
            reason = assignment.exclusion.map(Self.reasonText) ?? "excluded"
        }
        guard let arm = spec.arms.first(where: { $0.key == armKey }) else {
            throw APIError(.internalServerError, "The experiment's arm \"\(armKey)\" is not in its spec")
        }
        return Choice(
            arm: arm,
            assigned: assignment.arm,
            propensity: propensity,
            allocationVersion: assignment.allocationVersion,
            reason: reason,
            features: features,
            modelVersion: features == nil ? nil : entry.contextual?.version
        )
    }

    /// Answers with a new request id and queues the impression; throws (503) when the
    /// impression buffer is full, so no decision is answered without its impression.
    private func log(
        _ request: DecisionRequest,
        entry: ExperimentSnapshot.Entry,
        chosen: Choice,
        ranked: [(itemID: String, score: Double)],
        requestID: UUID,
        now: Date
    ) throws -> DecisionResponse {
        let spec = entry.spec
        let response = DecisionResponse(
            requestID: requestID.lowercasedString,
            experiment: spec.name,
            version: entry.version,
            arm: chosen.arm.key,
            items: ranked.enumerated().map { .init(itemID: $1.itemID, score: $1.score, position: $0 + 1) },
            propensity: chosen.propensity,
            allocationVersion: chosen.allocationVersion,
            reason: chosen.reason,
            modelVersion: chosen.modelVersion,
            features: chosen.features
        )
        try impressions.append(
            Impression(
                requestID: requestID,
                experiment: spec.name,
                experimentVersion: entry.version,
                arm: chosen.arm.key,
                unitID: request.unitID,
                itemIDs: ranked.map(\.itemID),
                scores: ranked.map(\.score),
                propensity: chosen.propensity,
                allocationVersion: chosen.allocationVersion,
                contextJSON: ContextJSON.encode(request.context),
                reason: chosen.reason,
                createdAt: now,
                features: chosen.features,
                modelVersion: chosen.modelVersion
            )
        )
        metrics.countDecision(experiment: spec.name, arm: chosen.arm.key, fallback: chosen.reason != nil)
        return response
    }

    /// The arm for units outside the experiment: the spec's fallback, else the control, else the first arm.
    static func fallbackArm(of spec: ExperimentSpec) -> String {
        spec.fallback ?? spec.control?.key ?? spec.arms.first?.key ?? ""
    }

    /// The `reason` text for an exclusion, in the API's snake case.
    static func reasonText(_ exclusion: Assignment.Exclusion) -> String {
        switch exclusion {
        case .notRunning: "not_running"
        case .notTargeted: "not_targeted"
        case .inHoldout: "in_holdout"
        case .outsideLayerSegment: "outside_layer_segment"
        case .notInTraffic: "not_in_traffic"
        }
    }
}
