import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// The example spec's declared metrics end to end through the binary: outcome events
/// imported with `abctl import outcomes`, then `abctl report` in every format, maintained and
/// `--full`, with values worked out by hand.
@Suite struct ReportOutcomeMetricsTests {
    @Test func declaredMetricsAreInEveryFormatWithHandComputedValuesMaintainedAndFull() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let spec = TestDatabase.repositoryRoot.appendingPathComponent("experiments/shop-revenue-guardrail.yaml").path
            let applied = try AbctlBinary.run(["apply", spec], environment: env)
            #expect(applied.status == 0, "\(applied.combined)")
            let db = try PostgresConnection(conninfo: conninfo)
            // Four units per arm, each shown one list two hours ago.
            try db.execute(
                """
                INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
                SELECT gen_random_uuid(), 'shop-revenue-guardrail', 1, arm, unit, ARRAY['i1'], ARRAY[1]::float8[], 0.5, 1, now() - interval '2 hours'
                FROM (VALUES ('control', 'c1'), ('control', 'c2'), ('control', 'c3'), ('control', 'c4'),
                             ('knn', 'k1'), ('knn', 'k2'), ('knn', 'k3'), ('knn', 'k4')) AS u (arm, unit)
                """
            )
            // Orders an hour ago: c1 10, c2 20 | k1 30 and 10, k2 40; and one by a unit never shown a list.
            let hourAgo = Date(timeIntervalSinceNow: -3600).formatted(.iso8601)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-outcomes-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try """
            event_id,unit_id,type,value,timestamp
            o1,c1,order,10,\(hourAgo)
            o2,c2,order,20,\(hourAgo)
            o3,k1,order,30,\(hourAgo)
            o4,k1,order,10,\(hourAgo)
            o5,k2,order,40,\(hourAgo)
            o6,stranger,order,999,\(hourAgo)

            """.write(to: file, atomically: true, encoding: .utf8)
            let imported = try AbctlBinary.run(["import", "outcomes", file.path], environment: env)
            #expect(imported.status == 0, "\(imported.combined)")
            #expect(imported.standardOutput.contains("imported 6 outcomes"))

            // Per unit (c1…c4 | k1…k4): revenue 10, 20, 0, 0 | 40, 40, 0, 0 (the 99th percentile
            // of the eight is 40, so the cap changes nothing); orders 1, 1, 0, 0 | 2, 1, 0, 0.
            let expected: [String: [String: Double]] = [
                "revenue_per_user": ["control": 7.5, "knn": 20],
                "orders_per_user": ["control": 0.5, "knn": 0.75],
                "purchased": ["control": 0.5, "knn": 0.5],
                "average_order_value": ["control": 15, "knn": 80.0 / 3],
                "returned_d1": ["control": 0, "knn": 0],
            ]
            for mode in [[], ["--full"]] {
                let output = try AbctlBinary.run(["report", "shop-revenue-guardrail", "--format", "json"] + mode, environment: env)
                #expect(output.status == 0, "\(output.standardError)")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
                let freshness = try #require(json["freshness"] as? [String: Any])
                #expect(freshness["source"] as? String == (mode.isEmpty ? "maintained" : "full"))
                let summaries = try #require(json["armSummaries"] as? [String: [[String: Any]]])
                for (metric, arms) in expected {
                    let rows = try #require(summaries[metric], "\(metric)")
                    for (arm, mean) in arms {
                        let row = try #require(rows.first { $0["arm"] as? String == arm })
                        #expect(row["units"] as? Int == 4)
                        #expect(abs((row["pooledMean"] as? Double ?? .nan) - mean) < 1e-12, "\(metric) \(arm) \(mode)")
                    }
                }
            }
            for format in ["table", "markdown", "csv"] {
                let output = try AbctlBinary.run(["report", "shop-revenue-guardrail", "--format", format], environment: env)
                #expect(output.status == 0, "\(output.standardError)")
                for metric in expected.keys { #expect(output.standardOutput.contains(metric), "\(format) \(metric)") }
            }
            let html = try AbctlBinary.run(
                ["report", "shop-revenue-guardrail", "--format", "html", "--output", file.path + ".html"],
                environment: env
            )
            defer { try? FileManager.default.removeItem(atPath: file.path + ".html") }
            #expect(html.status == 0, "\(html.standardError)")
            let page = try String(contentsOfFile: file.path + ".html", encoding: .utf8)
            for metric in expected.keys { #expect(page.contains(metric), "html \(metric)") }
            let table = try AbctlBinary.run(["report", "shop-revenue-guardrail"], environment: env)
            #expect(
                table.standardOutput.contains("Guardrail revenue_per_user") || table.standardOutput.contains("guardrail"),
                "\(table.standardOutput)"
            )
        }
    }
}
