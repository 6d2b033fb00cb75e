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

    func decide(_ request: DecisionRequest, now: Date = Date()) async throws -> DecisionResponse {
        try request.validate()
        guard let entry = snapshots.current.experiments[request.experiment] else {
            throw APIError(.notFound, "There is no experiment called \"\(request.experiment)\"; apply its spec first", field: "experiment")
        }
        let spec = entry.spec
        if spec.type == .interleaving, let interleaved = try await decideInterleaved(request, entry: entry, now: now) { return interleaved }
        let useSticky = spec.sticky && spec.status == .running
        var previous: String?
        if useSticky {
            do {
                previous = try await sticky.arm(experiment: spec.name, unit: request.unitID)
            } catch {
                logger.debug("Sticky lookup failed; assigning without it", metadata: ["error": "\(error)"])
            }
        }
        let assignment = entry.assigner.assign(unit: request.unitID, context: request.context, previousArm: previous, now: now)
        let armKey: String
        let propensity: Double
        let reason: String?
        if let arm = assignment.arm {
            armKey = arm
            propensity = assignment.propensity
            reason = nil
            if useSticky && previous == nil {
                let sticky = sticky
                let logger = logger
                Task {
                    do { _ = try await sticky.remember(experiment: spec.name, unit: request.unitID, arm: arm) } catch {
                        logger.debug("Could not record the sticky arm", metadata: ["error": "\(error)"])
                    }
                }
            }
        } else {
            armKey = Self.fallbackArm(of: spec)
            // The fallback is served with certainty to every excluded unit.
            propensity = 1
            reason = assignment.exclusion.map(Self.reasonText) ?? "excluded"
        }
        guard let arm = spec.arms.first(where: { $0.key == armKey }) else {
            throw APIError(.internalServerError, "The experiment's arm \"\(armKey)\" is not in its spec")
        }
        let ranked = await ranker.rank(
            experiment: spec.name,
            arm: arm,
            unitID: request.unitID,
            context: request.context,
            k: request.k,
            exclude: Set(request.exclude)
        )
        let requestID = requestIDs.next()
        let response = DecisionResponse(
            requestID: requestID.lowercasedString,
            experiment: spec.name,
            version: entry.version,
            arm: armKey,
            items: ranked.enumerated().map { .init(itemID: $1.itemID, score: $1.score, position: $0 + 1) },
            propensity: propensity,
            allocationVersion: assignment.allocationVersion,
            reason: reason
        )
        try impressions.append(
            Impression(
                requestID: requestID,
                experiment: spec.name,
                experimentVersion: entry.version,
                arm: armKey,
                unitID: request.unitID,
                itemIDs: ranked.map(\.itemID),
                scores: ranked.map(\.score),
                propensity: propensity,
                allocationVersion: assignment.allocationVersion,
                contextJSON: ContextJSON.encode(request.context),
                reason: reason,
                createdAt: now
            )
        )
        metrics.countDecision(experiment: spec.name, arm: armKey, fallback: reason != nil)
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
