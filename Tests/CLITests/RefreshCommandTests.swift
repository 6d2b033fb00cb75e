import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// `abctl refresh`, and `abctl report` reading the maintained aggregates (refreshing them
/// first unless --no-refresh) or the raw logs (--full), saying which and how fresh.
@Suite struct RefreshCommandTests {
    /// Logs one impression per unit two hours ago and a purchase a minute later for the first
    /// `converting` units of the arm.
    func log(_ db: PostgresConnection, arm: String, tag: String, units: Int, converting: Int) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            SELECT md5(\(tag) || g)::uuid, 'refresh-demo', 1, \(arm), \(tag) || '-' || g,
                   ARRAY['i1','i2','i3'], ARRAY[3,2,1]::float8[], 0.5, 1, now() - interval '2 hours'
            FROM generate_series(1, \(units)) g
            """
        )
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'p-' || \(tag) || g, md5(\(tag) || g)::uuid, \(tag) || '-' || g, 'i1', 'purchase', 20, now() - interval '119 minutes'
            FROM generate_series(1, \(converting)) g
            """
        )
    }

    /// The control arm's conversion mean and the report's data source.
    func report(_ arguments: [String], environment: [String: String]) throws -> (mean: Double?, source: String?, sentence: Bool) {
        let output = try AbctlBinary.run(["report", "refresh-demo", "--format", "json"] + arguments, environment: environment)
        #expect(output.status == 0, "\(output.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
        let summaries = try #require(json["armSummaries"] as? [String: [[String: Any]]])
        let mean = summaries["conversion"]?.first { $0["arm"] as? String == "control" }?["mean"] as? Double
        let freshness = json["freshness"] as? [String: Any]
        return (mean, freshness?["source"] as? String, freshness?["dataAsOf"] != nil)
    }

    @Test func reportReadsTheMaintainedAggregatesAndFullRecomputes() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let spec = FileManager.default.temporaryDirectory.appendingPathComponent("refresh-demo-\(UUID().uuidString).yaml").path
            try """
            name: refresh-demo
            status: running
            arms:
              - {key: control, strategy: popularity, control: true, weight: 0.5}
              - {key: als, strategy: popularity, params: {half_life_hours: 24}, weight: 0.5}
            metrics: {primary: conversion, secondary: [ndcg@10]}
            """.write(toFile: spec, atomically: true, encoding: .utf8)
            #expect(try AbctlBinary.run(["apply", spec], environment: env).status == 0)
            let db = try PostgresConnection(conninfo: conninfo)
            try log(db, arm: "control", tag: "c1", units: 100, converting: 10)
            try log(db, arm: "als", tag: "a1", units: 100, converting: 20)

            let refresh = try AbctlBinary.run(["refresh"], environment: env)
            #expect(refresh.status == 0 && refresh.standardOutput.contains("200 impressions recomputed"), "\(refresh.standardOutput)")
            let first = try report([], environment: env)
            #expect(first.mean == 0.1 && first.source == "maintained" && first.sentence)

            // 100 more control units, 50 converting: 60 / 200 = 0.3 once counted.
            try log(db, arm: "control", tag: "c2", units: 100, converting: 50)
            #expect(try report(["--no-refresh"], environment: env).mean == 0.1)  // as of the last refresh
            let caughtUp = try report([], environment: env)
            #expect(caughtUp.mean == 0.3 && caughtUp.source == "maintained")
            let full = try report(["--full"], environment: env)
            #expect(full.mean == 0.3 && full.source == "full")

            let table = try AbctlBinary.run(["report", "refresh-demo"], environment: env)
            #expect(table.standardOutput.contains("Data as of ") && table.standardOutput.contains("(maintained aggregates"))
        }
    }
}
