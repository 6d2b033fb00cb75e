import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

/// The interleaving credit SQL (sql/0007_interleaving.sql) on hand-built impressions and
/// feedback: clicks go to the team of the clicked position, once per position, inside the
/// attribution window; a unit prefers the arm with more credited clicks; ties are ties.
@Suite struct InterleavingCreditTests {
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC

    func impression(
        _ db: PostgresConnection,
        _ id: UUID,
        experiment: String = "duel",
        unit: String,
        items: [String],
        teams: [String]?,
        at offset: Double
    )
        throws
    {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at, teams)
            VALUES (\(id), \(experiment), \(1), \(teams == nil ? "pop" : "interleaved"), \(unit), \(items), \(items.map { _ in 1.0 }), \(1.0), \(1),
                    \(start.addingTimeInterval(offset)), \(teams))
            """
        )
    }

    func event(_ db: PostgresConnection, _ request: UUID, unit: String, item: String, type: String = "click", at offset: Double) throws {
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
            VALUES (\(UUID().uuidString), \(request), \(unit), \(item), \(type), \(start.addingTimeInterval(offset)))
            """
        )
    }

    func migrated(_ body: (PostgresConnection) throws -> Void) throws {
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            try body(db)
        }
    }

    /// The function's rows as "a,b,…" text lines, sorted, for exact comparison.
    func rows(_ db: PostgresConnection, _ sql: PostgresQuery, columns: Int) throws -> [String] {
        try db.query(sql).map { row in try (0..<columns).map { try row.decode(String.self, at: $0) }.joined(separator: ",") }.sorted()
    }

    static let window = 3600.0

    @Test func twoArmsHandComputed() throws {
        try migrated { db in
            let (r1, r2, r3, r4, r5, r6, r7) = (UUID(), UUID(), UUID(), UUID(), UUID(), UUID(), UUID())
            // u1, r1: a(als) b(pop) c(pop) d(als). a clicked twice (counts once), c clicked, d purchased
            // (not a click): als 1, pop 1.
            try impression(db, r1, unit: "u1", items: ["a", "b", "c", "d"], teams: ["als", "pop", "pop", "als"], at: 0)
            try event(db, r1, unit: "u1", item: "a", at: 60)
            try event(db, r1, unit: "u1", item: "a", at: 120)
            try event(db, r1, unit: "u1", item: "c", at: 300)
            try event(db, r1, unit: "u1", item: "d", type: "purchase", at: 400)
            // u1, r2: e(pop) f(als). f clicked inside the hour (als 1) and again 2 h later (outside).
            try impression(db, r2, unit: "u1", items: ["e", "f"], teams: ["pop", "als"], at: 600)
            try event(db, r2, unit: "u1", item: "f", at: 660)
            try event(db, r2, unit: "u1", item: "f", at: 600 + 7200)
            // u1 in total: als 2, pop 1 → prefers als.
            // u2, r3: a(als) b(pop). b clicked (pop 1); z is not in the list; a clicked before the impression.
            try impression(db, r3, unit: "u2", items: ["a", "b"], teams: ["als", "pop"], at: 1000)
            try event(db, r3, unit: "u2", item: "b", at: 1010)
            try event(db, r3, unit: "u2", item: "z", at: 1020)
            try event(db, r3, unit: "u2", item: "a", at: 990)
            // u2: als 0, pop 1 → prefers pop.
            // u3, r4: no clicks → tie 0-0.
            try impression(db, r4, unit: "u3", items: ["a", "b"], teams: ["pop", "als"], at: 2000)
            // u4, r5: both clicked → tie 1-1.
            try impression(db, r5, unit: "u4", items: ["a", "b"], teams: ["als", "pop"], at: 3000)
            try event(db, r5, unit: "u4", item: "a", at: 3010)
            try event(db, r5, unit: "u4", item: "b", at: 3020)
            // Not interleaved: a fallback list of this experiment (teams NULL) and another experiment's
            // interleaved list, both clicked; neither counts, and u5 is no unit of the comparison.
            try impression(db, r6, unit: "u5", items: ["a", "b"], teams: nil, at: 4000)
            try event(db, r6, unit: "u5", item: "a", at: 4010)
            try impression(db, r7, experiment: "other", unit: "u1", items: ["a", "b"], teams: ["als", "pop"], at: 4000)
            try event(db, r7, unit: "u1", item: "a", at: 4010)

            let (since, until) = (start.addingTimeInterval(-1), start.addingTimeInterval(86400))
            let perImpression = try rows(
                db,
                "SELECT request_id::text, unit_id, team, credited_clicks::text FROM abctl_interleaving_impression_credits('duel', \(Self.window) * interval '1 second', \(since), \(until))",
                columns: 4
            )
            #expect(
                perImpression
                    == [
                        "\(r1.uuidString.lowercased()),u1,als,1", "\(r1.uuidString.lowercased()),u1,pop,1", "\(r2.uuidString.lowercased()),u1,als,1",
                        "\(r3.uuidString.lowercased()),u2,pop,1", "\(r5.uuidString.lowercased()),u4,als,1", "\(r5.uuidString.lowercased()),u4,pop,1",
                    ].sorted()
            )
            let perUnit = try rows(
                db,
                "SELECT unit_id, arm, impressions::text, credited_clicks::text FROM abctl_interleaving_unit_credits('duel', \(Self.window) * interval '1 second', \(since), \(until))",
                columns: 4
            )
            #expect(perUnit == ["u1,als,2,2", "u1,pop,2,1", "u2,als,1,0", "u2,pop,1,1", "u3,als,1,0", "u3,pop,1,0", "u4,als,1,1", "u4,pop,1,1"])
            let preferences = try rows(
                db,
                "SELECT arm, opponent, wins::text, losses::text, ties::text FROM abctl_interleaving_preferences('duel', \(Self.window) * interval '1 second', \(since), \(until))",
                columns: 5
            )
            // u1 prefers als, u2 pop; u3 and u4 are ties.
            #expect(preferences == ["als,pop,1,1,2", "pop,als,1,1,2"])

            // Only impressions in [since, until) count: from r3 on, u1's impressions drop out.
            let later = try rows(
                db,
                "SELECT arm, opponent, wins::text, losses::text, ties::text FROM abctl_interleaving_preferences('duel', \(Self.window) * interval '1 second', \(start.addingTimeInterval(1000)), \(until))",
                columns: 5
            )
            #expect(later == ["als,pop,0,1,2", "pop,als,1,0,2"])
        }
    }

    @Test func multileavingGivesEveryPairwisePreference() throws {
        try migrated { db in
            let (r1, r2) = (UUID(), UUID())
            // v1: p(x) q(y) r(z); p and q clicked → x 1, y 1, z 0: x = y, x > z, y > z.
            try impression(db, r1, experiment: "trio", unit: "v1", items: ["p", "q", "r"], teams: ["x", "y", "z"], at: 0)
            try event(db, r1, unit: "v1", item: "p", at: 10)
            try event(db, r1, unit: "v1", item: "q", at: 20)
            // v2: r(z) p(x) q(y); r clicked → z 1: z > x, z > y, x = y.
            try impression(db, r2, experiment: "trio", unit: "v2", items: ["r", "p", "q"], teams: ["z", "x", "y"], at: 0)
            try event(db, r2, unit: "v2", item: "r", at: 10)
            let preferences = try rows(
                db,
                "SELECT arm, opponent, wins::text, losses::text, ties::text FROM abctl_interleaving_preferences('trio', interval '1 hour', \(start.addingTimeInterval(-1)), \(start.addingTimeInterval(60)))",
                columns: 5
            )
            #expect(preferences == ["x,y,0,0,2", "x,z,1,1,0", "y,x,0,0,2", "y,z,1,1,0", "z,x,1,1,0", "z,y,1,1,0"])
        }
    }

    @Test func teamsMustMatchTheItems() throws {
        try migrated { db in
            #expect(throws: PostgresError.self) {
                try impression(db, UUID(), unit: "u1", items: ["a", "b"], teams: ["als"], at: 0)
            }
            // NULL teams (every A/B impression) are allowed.
            try impression(db, UUID(), unit: "u1", items: ["a", "b"], teams: nil, at: 0)
        }
    }
}
