import Foundation
import Spec

extension DecisionService {
    /// The arm key answered and logged for an interleaved list, which belongs to no single arm.
    static let interleavedArm = "interleaved"

    /// Decides for a unit of an interleaving experiment: every arm's strategy ranks `k` items,
    /// Team-Draft merges them (seeded by the new request id), and the impression is logged with
    /// the team of every position. Nil when the unit is outside the experiment (not running,
    /// not targeted, outside its traffic or layer), which the ordinary path serves from the
    /// fallback arm; throws 503 when the impression buffer is full. Sticky assignment does not apply: no unit is kept on one arm.
    ///
    /// The propensity is 1: every unit in the experiment gets the interleaved list, so no arm
    /// was chosen at random. Team-Draft's own coin flips are not an arm choice; their outcome is
    /// logged per position in `teams`, and the request id reproduces them.
    func decideInterleaved(_ request: DecisionRequest, entry: ExperimentSnapshot.Entry, now: Date) async throws -> DecisionResponse? {
        let spec = entry.spec
        let assignment = entry.assigner.assign(unit: request.unitID, context: request.context, previousArm: nil, now: now)
        guard assignment.arm != nil else { return nil }
        let exclude = Set(request.exclude)
        var rankings: [[(itemID: String, score: Double)]] = []
        for arm in spec.arms {
            rankings.append(
                await ranker.rank(
                    RankRequest(
                        experiment: spec.name,
                        arm: arm,
                        unitID: request.unitID,
                        context: request.context,
                        k: request.k,
                        exclude: exclude
                    )
                )
            )
        }
        let requestID = requestIDs.next(at: now)
        let picks = InterleavingMerge.merge(rankings: rankings, arms: spec.arms.map(\.key), k: request.k, requestID: requestID)
        try impressions.append(
            Impression(
                requestID: requestID,
                experiment: spec.name,
                experimentVersion: entry.version,
                arm: Self.interleavedArm,
                unitID: request.unitID,
                itemIDs: picks.map(\.itemID),
                scores: picks.map(\.score),
                propensity: 1,
                allocationVersion: assignment.allocationVersion,
                contextJSON: ContextJSON.encode(request.context),
                reason: nil,
                createdAt: now,
                teams: picks.map(\.team)
            )
        )
        metrics.countDecision(experiment: spec.name, arm: Self.interleavedArm, fallback: false)
        return DecisionResponse(
            requestID: requestID.lowercasedString,
            experiment: spec.name,
            version: entry.version,
            arm: Self.interleavedArm,
            items: picks.enumerated().map { .init(itemID: $1.itemID, score: $1.score, position: $0 + 1, team: $1.team) },
            propensity: 1,
            allocationVersion: assignment.allocationVersion,
            reason: nil
        )
    }
}
