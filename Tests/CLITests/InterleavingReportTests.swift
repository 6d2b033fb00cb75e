import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import CLI

/// `abctl report` for an interleaving experiment, end to end over logged impressions with
/// known preferences, and the pairwise statistics against scipy and statsmodels
/// (scripts/interleaving_reference.py).
@Suite struct InterleavingReportTests {
    static let spec = """
        name: duel
        type: interleaving
        arms:
          - {key: als, strategy: als}
          - {key: pop, strategy: popularity}
        metrics: {primary: ctr, attribution_window: 1h}
        """

    /// `units` units with one interleaved impression each (a from als, b from pop) and a click
    /// on `clicked` (none when nil) one minute later.
    func log(_ db: PostgresConnection, prefix: String, units: Int, clicked: String?) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version,
                                     created_at, teams)
            SELECT md5(\(prefix) || g)::uuid, 'duel', 1, 'interleaved', \(prefix) || g, ARRAY['a','b'], ARRAY[1,1]::float8[], 1, 1,
                   now() - interval '2 hours', ARRAY['als','pop']
            FROM generate_series(1, \(units)) g
            """
        )
        guard let clicked else { return }
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
            SELECT 'c-' || \(prefix) || g, md5(\(prefix) || g)::uuid, \(prefix) || g, \(clicked), 'click', now() - interval '119 minutes'
            FROM generate_series(1, \(units)) g
            """
        )
    }

    @Test func reportsSharesIntervalsAndSignTestsFromTheLog() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("duel-\(UUID().uuidString).yaml")
            try Self.spec.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let applied = try AbctlBinary.run(["apply", file.path], environment: env)
            #expect(applied.status == 0, "\(applied.standardError)")
            let db = try PostgresConnection(conninfo: conninfo)
            // 60 units click als's item, 40 pop's, 20 nothing (ties).
            try log(db, prefix: "als-", units: 60, clicked: "a")
            try log(db, prefix: "pop-", units: 40, clicked: "b")
            try log(db, prefix: "tie-", units: 20, clicked: nil)

            let output = try AbctlBinary.run(["report", "duel", "--format", "json"], environment: env)
            #expect(output.status == 0, "\(output.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            #expect(json["units"] as? Int == 120)
            #expect(json["impressions"] as? Int == 120)
            let credits = try #require(json["credits"] as? [[String: Any]])
            #expect(credits.map { "\($0["arm"] ?? ""):\($0["creditedClicks"] ?? "")" } == ["als:60", "pop:40"])
            let preferences = try #require(json["preferences"] as? [[String: Any]])
            #expect(preferences.count == 2)
            let als = try #require(preferences.first { $0["arm"] as? String == "als" })
            #expect(als["wins"] as? Int == 60)
            #expect(als["losses"] as? Int == 40)
            #expect(als["ties"] as? Int == 20)
            #expect(als["share"] as? Double == 0.6)
            // scipy 1.17 binomtest(60, 100).proportion_ci(method="wilson") and .pvalue.
            #expect(abs((als["lower"] as? Double ?? 0) - 0.5020025867910618) < 1e-9)
            #expect(abs((als["upper"] as? Double ?? 0) - 0.6905987135675411) < 1e-9)
            #expect(abs((als["pValue"] as? Double ?? 0) - 0.05688793364098089) < 1e-9)
            #expect(als["isSignificant"] as? Bool == false)
            let pop = try #require(preferences.first { $0["arm"] as? String == "pop" })
            #expect(abs((pop["lower"] as? Double ?? 0) - 0.3094012864324589) < 1e-9)
            #expect(abs((pop["upper"] as? Double ?? 0) - 0.4979974132089382) < 1e-9)

            let table = try AbctlBinary.run(["report", "duel"], environment: env)
            #expect(table.status == 0)
            #expect(table.standardOutput.contains("als vs pop: no significant preference at alpha 0.0500 (p = 0.0569)"))
            #expect(table.standardOutput.contains("[50.20%, 69.06%]"))

            let html = try AbctlBinary.run(["report", "duel", "--format", "html", "--output", "/tmp/duel.html"], environment: env)
            #expect(html.status != 0)
            #expect(html.standardError.contains("--format html is not available for an interleaving experiment"))
        }
    }

    @Test func multileavingAdjustsThePairsWithHolm() throws {
        // Pairs (x,y) 30-10, (x,z) 12-8, (y,z) 5-15, no ties. scipy 1.17 binomtest p-values and
        // statsmodels 0.15 multipletests(method="holm") (scripts/interleaving_reference.py).
        let pairs: [InterleavingReport.PairCounts] = [
            .init(arm: "z", opponent: "y", wins: 15, losses: 5, ties: 0), .init(arm: "x", opponent: "y", wins: 30, losses: 10, ties: 0),
            .init(arm: "y", opponent: "x", wins: 10, losses: 30, ties: 0), .init(arm: "x", opponent: "z", wins: 12, losses: 8, ties: 0),
            .init(arm: "z", opponent: "x", wins: 8, losses: 12, ties: 0), .init(arm: "y", opponent: "z", wins: 5, losses: 15, ties: 0),
        ]
        let result = InterleavingReport.preferences(arms: ["x", "y", "z"], pairs: pairs, alpha: 0.05, correction: .holm)
        #expect(result.map { "\($0.arm)>\($0.opponent)" } == ["x>y", "x>z", "y>x", "y>z", "z>x", "z>y"])
        let expected: [String: (p: Double, holm: Double)] = [
            "x>y": (0.0022214337732293643, 0.006664301319688093),
            "x>z": (0.5034446716308594, 0.5034446716308594),
            "y>z": (0.04138946533203125, 0.0827789306640625),
        ]
        for preference in result {
            let key = [preference.arm, preference.opponent].sorted().joined(separator: ">")
            let reference = try #require(expected[key])
            #expect(abs(preference.pValue - reference.p) < 1e-9, "\(key)")
            #expect(abs(preference.adjustedPValue - reference.holm) < 1e-9, "\(key)")
        }
        // Only x over y survives Holm at 5%; y vs z (raw p 0.041) does not.
        #expect(result.filter(\.isSignificant).map { "\($0.arm)>\($0.opponent)" } == ["x>y", "y>x"])
    }
}
