import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// `abctl report` over logged data with known answers: conversion 10% vs 12% and a 52/48
/// traffic split against a 50/50 allocation.
@Suite struct ReportCommandTests {
    /// Logs one impression per unit (items i1…i10) and a purchase of i1 for the first
    /// `converting` units of the arm, one minute after the impression.
    func log(_ db: PostgresConnection, arm: String, units: Int, converting: Int) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            SELECT md5(\(arm) || g)::uuid, 'homepage-als-vs-popularity', 1, \(arm), \(arm) || '-' || g,
                   ARRAY['i1','i2','i3','i4','i5','i6','i7','i8','i9','i10'], ARRAY[10,9,8,7,6,5,4,3,2,1]::float8[], 0.5, 1,
                   now() - interval '2 hours'
            FROM generate_series(1, \(units)) g
            """
        )
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'p-' || \(arm) || g, md5(\(arm) || g)::uuid, \(arm) || '-' || g, 'i1', 'purchase', 20, now() - interval '119 minutes'
            FROM generate_series(1, \(converting)) g
            """
        )
    }

    @Test func reportsKnownRatesAndTripsTheSampleRatioCheck() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let spec = TestDatabase.repositoryRoot.appendingPathComponent("experiments/homepage-als-vs-popularity.yaml").path
            #expect(try AbctlBinary.run(["apply", spec], environment: env).status == 0)
            let db = try PostgresConnection(conninfo: conninfo)
            try log(db, arm: "control", units: 5200, converting: 520)
            try log(db, arm: "als", units: 4800, converting: 576)

            let output = try AbctlBinary.run(["report", "homepage-als-vs-popularity", "--format", "json"], environment: env)
            #expect(output.status == 0, "\(output.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            let summaries = try #require(json["armSummaries"] as? [String: [[String: Any]]])
            let conversion = try #require(summaries["conversion"])
            // 520/5200 = 0.10 and 576/4800 = 0.12.
            #expect(conversion.first { $0["arm"] as? String == "control" }?["mean"] as? Double == 0.1)
            #expect(abs((conversion.first { $0["arm"] as? String == "als" }?["mean"] as? Double ?? 0) - 0.12) < 1e-12)
            // ndcg@10: a purchase (grade 3) at position 1 is the ideal list: NDCG 1 for converting units, 0 otherwise.
            let ndcg = try #require(summaries["ndcg@10"])
            #expect(abs((ndcg.first { $0["arm"] as? String == "control" }?["mean"] as? Double ?? 0) - 0.1) < 1e-12)
            // SRM: χ² = 2 × 200² / 5000 = 16 on 1 df, p ≈ 6.3e-5 < 0.001: flagged, and every verdict says so.
            let report = try #require(json["report"] as? [String: Any])
            let srm = try #require(report["sampleRatioMismatch"] as? [String: Any])
            #expect(abs((srm["chiSquare"] as? Double ?? 0) - 16) < 1e-9)
            let verdicts = try #require(report["verdicts"] as? [[String: Any]])
            #expect(verdicts.map { $0["decision"] as? String } == ["checkAssignment"])

            let table = try AbctlBinary.run(["report", "homepage-als-vs-popularity"], environment: env)
            #expect(table.standardOutput.contains("Sample ratio mismatch"))
            #expect(table.standardOutput.contains("als: check assignment."))
            #expect(!table.standardOutput.contains("\u{1B}["))  // not a terminal: no colour codes

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html").path
            let html = try AbctlBinary.run(["report", "homepage-als-vs-popularity", "--format", "html", "--output", file], environment: env)
            #expect(html.status == 0)
            let page = try String(contentsOfFile: file, encoding: .utf8)
            #expect(page.contains("<svg") && page.contains("Allocation over time"))
            #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))  // opens offline

            let missing = try AbctlBinary.run(["report", "nope"], environment: env)
            #expect(missing.status == 1 && missing.standardError.contains("There is no experiment called \"nope\""))
        }
    }
}
