import Foundation
import PostgresClient
import Reporting
import Spec
import Stats
import Storage

extension InterleavingReport {
    /// The report of experiment `name` from the credit SQL (sql/0007_interleaving.sql), or nil
    /// when the experiment is not an interleaving one (the ordinary report applies).
    static func load(name: String, connection: PostgresConnection, since: Date?, until: Date?) throws -> InterleavingReport? {
        guard let stored = try ExperimentStore(connection: connection).version(name) else {
            throw ReportError("There is no experiment called \"\(name)\"; see `abctl list`", code: .noSuchExperiment)
        }
        let spec = try ExperimentSpec(canonicalJSON: stored.specJSON)
        guard spec.type == .interleaving else { return nil }
        let window = Double(spec.metrics.attributionWindow.seconds)
        let from = since ?? .distantPast
        let to = until ?? .distantFuture
        let pairs = try connection.query(
            """
            SELECT arm, opponent, wins, losses, ties
            FROM abctl_interleaving_preferences(\(name), \(window) * interval '1 second', \(from), \(to))
            """
        ).map { row in
            let (arm, opponent, wins, losses, ties) = try row.decode((String, String, Int, Int, Int).self)
            return PairCounts(arm: arm, opponent: opponent, wins: wins, losses: losses, ties: ties)
        }
        let perArm = try connection.query(
            """
            SELECT arm, sum(credited_clicks)::bigint, count(*)::bigint, sum(impressions)::bigint
            FROM abctl_interleaving_unit_credits(\(name), \(window) * interval '1 second', \(from), \(to))
            GROUP BY arm
            """
        ).map { row in try row.decode((String, Int, Int, Int).self) }
        let clicks = Dictionary(perArm.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        let arms = spec.arms.map(\.key)
        return InterleavingReport(
            experiment: name,
            version: stored.version,
            since: since,
            until: until,
            generatedAt: Date(),
            arms: arms,
            units: perArm.first?.2 ?? 0,
            impressions: perArm.first?.3 ?? 0,
            confidence: 1 - spec.analysis.alpha,
            alpha: spec.analysis.alpha,
            correction: spec.analysis.correction.rawValue,
            credits: arms.map { ArmCredit(arm: $0, creditedClicks: clicks[$0] ?? 0) },
            preferences: preferences(
                arms: arms,
                pairs: pairs,
                alpha: spec.analysis.alpha,
                correction: Self.method(spec.analysis.correction)
            )
        )
    }

    /// The Stats method for the spec's correction; nil for none.
    static func method(_ correction: AnalysisSpec.Correction) -> MultipleTestingMethod? {
        switch correction {
        case .holm: .holm
        case .benjaminiHochberg: .benjaminiHochberg
        case .none: nil
        }
    }
}
