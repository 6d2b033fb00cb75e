import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// The built `abctl ope`, run as a user runs it: on an experiment's impressions in a fresh
/// PostgreSQL database, and on a bad CSV file.
@Suite struct OPEBinaryTests {
    let start = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29 00:00 UTC

    func impression(_ db: PostgresConnection, arm: String, propensity: Double, clicks: Int, at offset: Double) throws {
        let id = UUID()
        let items = ["a", "b", "c"]
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity,
                                     allocation_version, created_at)
            VALUES (\(id), \("home"), \(1), \(arm), \("u\(offset)"), \(items), \([3.0, 2.0, 1.0]), \(propensity), \(Int64(1)),
                    \(start.addingTimeInterval(offset)))
            """
        )
        for click in 0..<clicks {
            try db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                VALUES (\(UUID().uuidString), \(id), \("u\(offset)"), \(items[click]), \("click"), \(start.addingTimeInterval(offset + 60)))
                """
            )
        }
    }

    /// Arm A (propensity 0.6) has 2, 0 and 1 clicks, arm B (0.4) one click. Candidate weights A = 1,
    /// B = 0: IPS = (1/4)·(1/0.6)·3 = 1.25 and SNIPS = 1 (worked out in OffPolicyLogReaderTests).
    /// Candidate "always B": IPS = (1/4)·(1/0.4)·1 = 0.625, SNIPS = 1.
    @Test func experimentEndToEnd() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let db = try PostgresConnection(conninfo: conninfo)
            try impression(db, arm: "A", propensity: 0.6, clicks: 2, at: 0)
            try impression(db, arm: "A", propensity: 0.6, clicks: 0, at: 10)
            try impression(db, arm: "A", propensity: 0.6, clicks: 1, at: 20)
            try impression(db, arm: "B", propensity: 0.4, clicks: 1, at: 30)

            for (candidate, expected) in [("weights:A=1,B=0", [1.25, 1.0]), ("arm:B", [0.625, 1.0])] {
                let output = try AbctlBinary.run(
                    [
                        "ope", "--experiment", "home", "--candidate", candidate, "--reward", "ctr", "--estimators", "ips,snips,dr",
                        "--bootstrap", "30", "--format", "json", "--until", "2026-11-30T00:00:00Z",
                    ],
                    environment: env
                )
                #expect(output.status == 0, "\(output.combined)")
                let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
                let estimates = try #require(json?["estimates"] as? [[String: Any]])
                #expect(json?["decisions"] as? Int == 4)
                let values = estimates.compactMap { $0["value"] as? Double }
                #expect(values.count == 3)
                #expect(abs(values[0] - expected[0]) < 1e-12)
                #expect(abs(values[1] - expected[1]) < 1e-12)
            }

            let table = try AbctlBinary.run(
                ["ope", "--experiment", "home", "--candidate", "arm:C", "--until", "2026-11-30T00:00:00Z"],
                environment: env
            )
            #expect(table.status == 0, "\(table.combined)")
            #expect(
                table.standardOutput.contains("actions the logs never took (C)"),
                "an arm without logs is a support warning: \(table.standardOutput)"
            )
        }
    }

    /// Item level: top items x (clicked, grade 1), x (0), y (purchase, grade 3), y (0), propensity 0.5
    /// each. The popularity strategy fitted on interactions where y is the most popular item ranks y
    /// first for everyone, so w = 2 on the y rows: IPS = (2·3 + 2·0)/4 = 1.5, SNIPS = 6/4 = 1.5.
    @Test func itemLevelWithAStrategy() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = [
                "DATABASE_URL": conninfo,
                "ABCTL_MODELS": FileManager.default.temporaryDirectory.appendingPathComponent("abctl-ope-models-\(UUID())").path,
            ]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let db = try PostgresConnection(conninfo: conninfo)
            for (unit, item) in [("h1", "y"), ("h2", "y"), ("h3", "y"), ("h1", "x")] {
                try db.execute("INSERT INTO interactions (unit_id, item_id, event_type, occurred_at) VALUES (\(unit), \(item), \("click"), \(start))")
            }
            for (offset, arm, items, event) in [
                (0.0, "A", ["x", "y"], ("x", "click")), (10, "A", ["x", "z"], nil), (20, "B", ["y", "x"], ("y", "purchase")),
                (30, "B", ["y", "z"], ("z", "click")),
            ] as [(Double, String, [String], (String, String)?)] {
                let id = UUID()
                try db.execute(
                    """
                    INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
                    VALUES (\(id), \("home"), \(1), \(arm), \("u\(Int(offset))"), \(items), \(items.map { _ in 1.0 }), \(0.5), \(Int64(1)), \(start.addingTimeInterval(offset)))
                    """
                )
                if let (item, type) = event {
                    try db.execute(
                        """
                        INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                        VALUES (\(UUID().uuidString), \(id), \("u\(Int(offset))"), \(item), \(type), \(start.addingTimeInterval(offset + 60)))
                        """
                    )
                }
            }
            let output = try AbctlBinary.run(
                [
                    "ope", "--experiment", "home", "--candidate", "strategy:popularity", "--estimators", "ips,snips", "--bootstrap", "0",
                    "--format", "json", "--until", "2026-11-30T00:00:00Z",
                ],
                environment: env
            )
            #expect(output.status == 0, "\(output.combined)")
            let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
            let values = (json?["estimates"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? Double }
            #expect(values == [1.5, 1.5])
            #expect(json?["actions"] as? [String] == ["x", "y", "(never logged at position 1)"])
        }
    }

    /// `spec:FILE` takes the spec's arm weights (control 0.5, als 0.5). Logged: control (propensity 0.5,
    /// one click), als (0.5, no click), als (0.5, two clicks). w = 0.5/0.5 = 1 everywhere, so
    /// IPS = (1 + 0 + 2)/3 = 1 and SNIPS = 3/3 = 1.
    @Test func specCandidateTakesTheArmWeights() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let db = try PostgresConnection(conninfo: conninfo)
            try impression(db, arm: "control", propensity: 0.5, clicks: 1, at: 0)
            try impression(db, arm: "als", propensity: 0.5, clicks: 0, at: 10)
            try impression(db, arm: "als", propensity: 0.5, clicks: 2, at: 20)
            let spec = TestDatabase.repositoryRoot.appendingPathComponent("experiments/homepage-als-vs-popularity.yaml").path
            let output = try AbctlBinary.run(
                [
                    "ope", "--experiment", "home", "--candidate", "spec:\(spec)", "--reward", "ctr", "--estimators", "ips,snips",
                    "--bootstrap", "0", "--format", "json", "--until", "2026-11-30T00:00:00Z",
                ],
                environment: env
            )
            #expect(output.status == 0, "\(output.combined)")
            let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
            let values = (json?["estimates"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? Double }
            #expect(values == [1, 1])
            #expect(json?["actions"] as? [String] == ["als", "control"])
        }
    }

    /// A bad row: non-zero exit, the line and column on standard error, nothing on standard output.
    @Test func badCSVRowFailsWithLineAndColumn() throws {
        let path = try OPECommandTests.file("action,reward,propensity\na,1,0.5\nb,1,1.5\n")
        let output = try AbctlBinary.run(["ope", "--csv", path, "--candidate", "action:a"])
        #expect(output.status != 0)
        #expect(output.standardOutput.isEmpty)
        #expect(output.standardError.contains("logs.csv:3: column 'propensity'"), "\(output.standardError)")
    }
}
