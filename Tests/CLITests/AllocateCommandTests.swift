import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// `abctl allocate` end to end with the built binary on the example Thompson spec
/// (experiments/checkout-thompson-three-arms.yaml: control share 0.2, min_weight 0.05,
/// max_change 0.2, burn_in 500, a 2-hour window).
@Suite struct AllocateCommandTests {
    let name = "checkout-thompson-three-arms"

    /// 600 sessions per arm shown 3 hours ago, and a purchase for the first `converting`.
    func log(_ db: PostgresConnection, arm: String, converting: Int) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            SELECT md5(\(arm) || g)::uuid, \(name), 1, \(arm), \(arm) || '-' || g, ARRAY['i1','i2'], ARRAY[2,1]::float8[], 0.3, 1,
                   now() - interval '3 hours'
            FROM generate_series(1, 600) g
            """
        )
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'p-' || \(arm) || g, md5(\(arm) || g)::uuid, \(arm) || '-' || g, 'i1', 'purchase', 5, now() - interval '179 minutes'
            FROM generate_series(1, \(converting)) g
            """
        )
    }

    @Test func dryRunThenUpdateThenRefusals() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo, "ABCTL_USER": "ada"]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let examples = TestDatabase.repositoryRoot.appendingPathComponent("experiments")
            for spec in [name, "homepage-als-vs-popularity", "search-ucb-ndcg"] {
                #expect(try AbctlBinary.run(["apply", examples.appendingPathComponent("\(spec).yaml").path], environment: env).status == 0)
            }
            let db = try PostgresConnection(conninfo: conninfo)
            for (arm, converting) in [("control", 24), ("next-item", 30), ("knn", 36)] { try log(db, arm: arm, converting: converting) }

            // Dry run: one JSON line, nothing written.
            var output = try AbctlBinary.run(["allocate", name, "--dry-run", "--format", "json"], environment: env)
            #expect(output.status == 0, "\(output.combined)")
            let line = try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
            #expect(line["dry_run"] as? Bool == true && line["version"] as? Int == 2)
            let statistics = try #require(line["statistics"] as? [String: Any])
            let arms = try #require(statistics["arms"] as? [String: [String: Double]])
            #expect(arms["knn"]?["n"] == 600 && arms["knn"]?["mean"] == 0.06)
            // scripts/allocate_thompson_reference.py: Thompson gives knn 0.7511; after the control's
            // 0.2, knn's share 0.6222 exceeds 1/3 + 0.2 = 8/15, so knn = 8/15, next-item = 0.8 − 8/15 = 4/15.
            #expect(abs((arms["knn"]?["policy_weight"] ?? 0) - 0.751122376988) < 1e-4)
            #expect(abs((arms["control"]?["weight"] ?? 0) - 0.2) < 1e-12)
            #expect(abs((arms["next-item"]?["weight"] ?? 0) - 4.0 / 15) < 1e-12)
            #expect(abs((arms["knn"]?["weight"] ?? 0) - 8.0 / 15) < 1e-12)
            #expect(try ExperimentStore(connection: db).allocationHistory(name).count == 1)

            // The real update: a table with old and new weights, and a second allocation row.
            output = try AbctlBinary.run(["allocate", name], environment: env)
            #expect(output.status == 0, "\(output.combined)")
            #expect(output.standardOutput.contains("\(name): wrote allocation 2 (thompson on conversion, bernoulli(1, 1);"))
            let knnRow = output.standardOutput.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("knn ") }
            #expect(knnRow?.hasSuffix("0.3333  0.5333") == true, "\(output.standardOutput)")
            let history = try ExperimentStore(connection: db).allocationHistory(name)
            #expect(history.count == 2)
            #expect(abs((history[1].weights["knn"] ?? 0) - 8.0 / 15) < 1e-12)
            let createdBy = try db.query("SELECT created_by FROM allocations WHERE experiment = \(name) AND allocation_version = 2")[0]
            #expect(try createdBy.decode(String.self, at: 0) == "ada")

            // --all updates every running bandit: the Thompson one and the UCB one (still in burn-in).
            output = try AbctlBinary.run(["allocate", "--all"], environment: env)
            #expect(output.status == 0, "\(output.combined)")
            #expect(output.standardOutput.contains("\(name): wrote allocation 3"))
            #expect(output.standardOutput.contains("search-ucb-ndcg: wrote allocation 2 (ucb1 on ndcg@10"))
            #expect(output.standardOutput.contains("burn-in"))

            // Refusals: a message a user can act on and a failing exit status.
            output = try AbctlBinary.run(["allocate", "nope"], environment: env)
            #expect(output.status != 0 && output.standardError.contains("There is no experiment called \"nope\""), "\(output.combined)")
            output = try AbctlBinary.run(["allocate", "homepage-als-vs-popularity"], environment: env)
            #expect(output.status != 0 && output.standardError.contains("fixed allocation"), "\(output.combined)")
            output = try AbctlBinary.run(["allocate"], environment: env)
            #expect(output.status == 64 && output.standardError.contains("Give an experiment name or --all"), "\(output.combined)")
            output = try AbctlBinary.run(["allocate", name, "--interval", "5m"], environment: env)
            #expect(output.status == 64 && output.standardError.contains("--interval applies only with --watch"), "\(output.combined)")
            #expect(try ExperimentStore(connection: db).allocationHistory(name).count == 3)
        }
    }
}

/// `abctl allocate NAME --watch` keeps updating on its interval until interrupted.
@Suite struct AllocateWatchTests {
    @Test func watchUpdatesOnTheIntervalUntilInterrupted() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let spec = TestDatabase.repositoryRoot.appendingPathComponent("experiments/checkout-thompson-three-arms.yaml").path
            #expect(try AbctlBinary.run(["apply", spec], environment: env).status == 0)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: AbctlBinary.path)
            process.arguments = ["allocate", "checkout-thompson-three-arms", "--watch", "--interval", "1s"]
            process.environment = env.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { a, _ in a }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The first update is immediate; then one per 1-second interval. Wait for three rows beyond apply's.
            let store = ExperimentStore(connection: try PostgresConnection(conninfo: conninfo))
            var count = 1
            for _ in 0..<600 where count < 4 && process.isRunning {
                Thread.sleep(forTimeInterval: 0.1)
                count = try store.allocationHistory("checkout-thompson-three-arms").count
            }
            let wasRunning = process.isRunning
            process.interrupt()
            process.waitUntilExit()
            #expect(wasRunning, "--watch exited on its own")
            #expect(count >= 4)
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(text.contains("wrote allocation 2") && text.contains("wrote allocation 3"), "\(text)")
            // No data yet: every update is in burn-in and keeps the initial split with the control's 0.2.
            let last = try #require(try store.currentAllocation("checkout-thompson-three-arms"))
            #expect(abs((last.weights["control"] ?? 0) - 0.2) < 1e-12)
        }
    }
}
