import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import CLI

/// `abctl report` on a contextual experiment: IPW arm values over its logged decisions,
/// checked against values worked by hand (the same four decisions as
/// InverseProbabilityWeightedMeanTests).
@Suite struct ContextualReportTests {
    static let spec = """
        name: ctxr
        status: running
        arms:
          - {key: a, strategy: popularity, weight: 0.5}
          - {key: b, strategy: popularity, weight: 0.5}
        allocation: {policy: linucb, reward: ctr, features: [x]}
        metrics: {primary: ctr, attribution_window: 1h}
        """

    @Test func reportsInversePropensityWeightedArmValues() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ctxr-\(UUID().uuidString).yaml")
            try Self.spec.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let applied = try AbctlBinary.run(["apply", file.path], environment: env)
            #expect(applied.status == 0, "\(applied.standardError)")
            let db = try PostgresConnection(conninfo: conninfo)
            // (arm, clicked, propensity): a clicked at 0.5, a not at 0.25, b clicked at 0.5, b not at 0.75.
            for (n, (arm, clicked, propensity)) in [("a", true, 0.5), ("a", false, 0.25), ("b", true, 0.5), ("b", false, 0.75)].enumerated() {
                try db.execute(
                    """
                    INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity,
                                             allocation_version, created_at, features, model_version)
                    VALUES (md5(\("r\(n)"))::uuid, 'ctxr', 1, \(arm), \("u\(n)"), ARRAY['i'], ARRAY[1]::float8[], \(propensity), 1,
                            now() - interval '2 hours', ARRAY[1, 0]::float8[], 1)
                    """
                )
                if clicked {
                    try db.execute(
                        """
                        INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                        VALUES (\("c\(n)"), md5(\("r\(n)"))::uuid, \("u\(n)"), 'i', 'click', now() - interval '119 minutes')
                        """
                    )
                }
            }
            let output = try AbctlBinary.run(["report", "ctxr", "--format", "json"], environment: env)
            #expect(output.status == 0, "\(output.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            #expect(json["analysis"] as? String == "inverse-propensity weighting")
            let rows = try #require(json["arms"] as? [[String: Any]])
            func value(_ arm: String, _ estimator: String) -> Double? {
                rows.first { $0["arm"] as? String == arm && $0["estimator"] as? String == estimator }?["value"] as? Double
            }
            // HT: a (2·1 + 0)/4 = 0.5, b (0 + 2·1)/4 = 0.5. SN: a 2/(2 + 4) = 1/3, b 2/(2 + 4/3) = 0.6.
            #expect(abs((value("a", "horvitz-thompson") ?? -1) - 0.5) < 1e-12)
            #expect(abs((value("b", "horvitz-thompson") ?? -1) - 0.5) < 1e-12)
            #expect(abs((value("a", "self-normalised") ?? -1) - 1.0 / 3) < 1e-12)
            #expect(abs((value("b", "self-normalised") ?? -1) - 0.6) < 1e-12)
            let table = try AbctlBinary.run(["report", "ctxr"], environment: env)
            #expect(table.status == 0 && table.standardOutput.contains("inverse-propensity weighting"), "\(table.standardOutput)")
        }
    }
}
