import Foundation
import Metrics
import PostgresClient
import Stats
import Storage

/// Streaming off-policy evaluation over ROWS (default 10,000,000) logged impressions in
/// PostgreSQL: loads them with COPY (timed on its own), runs IPS, clipped IPS, SNIPS, DM and DR
/// through the server-side cursor (two passes) REPS times, reads the peak resident memory of the
/// OPE alone, then exports the same logs to CSV and times abctl's streaming estimators on the file
/// against numpy/pandas (scripts/ope_bench_peer.py) in the same run.
///
/// Logs: arms control/als/knn logged with probabilities 0.5/0.3/0.2; context age ~ U(18, 70) and
/// device mobile with probability 0.6; click probability 0.04/0.06/0.05 by arm, + 0.02 on mobile,
/// + 0.002·(age − 44) for als. Candidate "always als": true value 0.06 + 0.02·0.6 = 0.072.
enum OPEBench {
    static let experiment = "ope-bench"
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let rowCount = Int(environment["ROWS"] ?? "") ?? 10_000_000
        let repetitions = Int(environment["REPS"] ?? "") ?? 3
        let server = try DatabaseLocator.resolve(flag: environment["BENCH_DATABASE_URL"]).conninfo
        let conninfo = try prepareDatabase(server: server)
        let db = try PostgresConnection(conninfo: conninfo)
        try load(db, rowCount: rowCount, force: environment["RELOAD"] == "1")

        let settings = OffPolicyLogReader.Settings(
            experiment: experiment,
            reward: .clicks,
            features: [ContextFeature(key: "age"), ContextFeature(key: "device", equals: "mobile")],
            attributionWindow: 3600,
            until: start.addingTimeInterval(10 * 86_400)
        )
        let reader = OffPolicyLogReader(connection: db, settings: settings)
        let estimators: [OffPolicyEstimator] = [
            .inversePropensity(), .inversePropensity(clip: 20), .selfNormalizedInversePropensity, .directMethod, .doublyRobust,
        ]
        let options = OffPolicyEvaluationOptions(rewardModel: .ridge(lambda: 1), seed: 7)
        let evaluation = ArmLevelEvaluation(reader: reader, candidate: .always("als"))

        var readSeconds: [Double] = []
        var opeSeconds: [Double] = []
        var result: ArmLevelEvaluation.Result?
        resetPeakMemory()
        for _ in 0..<repetitions {
            readSeconds.append(try Timing.seconds { try reader.stream { _ in } })
            opeSeconds.append(try Timing.seconds { result = try evaluation.run(estimators, options: options, interval: .normal) })
        }
        let opePeak = peakMemoryMiB()
        var bootstrapResult: ArmLevelEvaluation.Result?
        let bootstrapSeconds = try Timing.seconds {
            bootstrapResult = try evaluation.run(estimators, options: options, interval: .poissonBootstrap(replicates: 100))
        }
        print("impressions: \(rowCount), repetitions: \(repetitions) (medians); true value of 'always als': 0.072")
        print(String(format: "one cursor pass (read only):        %.1f s", Timing.median(readSeconds)))
        print(
            String(
                format: "OPE, 5 estimators, normal CI:       %.1f s  (two cursor passes; %.0f impressions/s)",
                Timing.median(opeSeconds),
                Double(rowCount) / Timing.median(opeSeconds)
            )
        )
        print(String(format: "OPE, Poisson bootstrap B=100 (1×):  %.1f s", bootstrapSeconds))
        print(String(format: "peak resident memory during OPE:    %.0f MiB (VmHWM after clear_refs)", opePeak))
        for estimate in result?.estimates ?? [] {
            let bootstrap = bootstrapResult?.estimates.first { $0.estimator == estimate.estimator }?.interval
            print(
                String(
                    format: "  %-14@ %.5f  normal [%.5f, %.5f]  bootstrap [%.5f, %.5f]  ESS %.0f",
                    estimate.estimator.description as NSString,
                    estimate.value,
                    estimate.interval.lowerBound,
                    estimate.interval.upperBound,
                    bootstrap?.lowerBound ?? .nan,
                    bootstrap?.upperBound ?? .nan,
                    estimate.effectiveSampleSize
                )
            )
        }
        try comparePeer(db: db, conninfo: conninfo, settings: settings, repetitions: repetitions, rowCount: rowCount)
    }

    /// A database of its own, migrated, on the benchmark server.
    static func prepareDatabase(server: String) throws -> String {
        let admin = try PostgresConnection(conninfo: server)
        let name = "abctl_bench_ope"
        if try admin.query("SELECT 1 FROM pg_database WHERE datname = \(name)").isEmpty {
            try admin.execute("CREATE DATABASE \(identifier: name)")
        }
        guard let conninfo = ConnectionSettings.replacingDatabase(in: server, with: name) else {
            throw StorageError("cannot point \(server) at database \(name)")
        }
        let db = try PostgresConnection(conninfo: conninfo)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        _ = try Migrator(migrations: try Migration.load(from: root.appendingPathComponent("sql"))).migrate(db)
        return conninfo
    }

    /// One impression's draws, from a generator seeded by its index so impressions and feedback agree.
    struct Draw {
        var arm: String
        var propensity: Double
        var age: Double
        var mobile: Bool
        var clicked: Bool

        init(_ index: Int) {
            var generator = SplitMix64(seed: 2026 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let u = generator.nextUnitDouble()
            (arm, propensity) = u < 0.5 ? ("control", 0.5) : u < 0.8 ? ("als", 0.3) : ("knn", 0.2)
            age = ((18 + 52 * generator.nextUnitDouble()) * 10).rounded() / 10
            mobile = generator.nextUnitDouble() < 0.6
            var p: Double = arm == "control" ? 0.04 : arm == "als" ? 0.06 : 0.05
            p += mobile ? 0.02 : 0
            if arm == "als" { p += 0.002 * (age - 44) }
            clicked = generator.nextUnitDouble() < p
        }
    }

    static func requestID(_ index: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012llx", index)) ?? UUID()
    }

    /// COPYs `rowCount` impressions and their clicks unless they are already there.
    static func load(_ db: PostgresConnection, rowCount: Int, force: Bool) throws {
        let existing = try db.query("SELECT count(*) FROM impressions WHERE experiment = \(experiment)")[0].decode(Int.self, at: 0)
        if existing == rowCount && !force {
            print("impressions already loaded: \(existing) (RELOAD=1 reloads)")
            return
        }
        try db.execute("DELETE FROM impressions WHERE experiment = \(experiment)")
        try db.executeScript("TRUNCATE feedback")
        var feedbackRows = 0
        let seconds = try Timing.seconds {
            var next = 0
            try db.copyIn(
                "COPY impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, context, created_at) FROM STDIN"
            ) { writer in
                let end = min(next + 20_000, rowCount)
                for index in next..<end {
                    let draw = Draw(index)
                    writer.append(requestID(index))
                    try writer.append(experiment)
                    writer.append(1)
                    try writer.append(draw.arm)
                    try writer.append("u\(index % 1_000_000)")
                    try writer.append(["a", "b", "c"])
                    writer.append([3.0, 2.0, 1.0])
                    writer.append(draw.propensity)
                    writer.append(1)
                    try writer.append(#"{"age": \#(draw.age), "device": "\#(draw.mobile ? "mobile" : "desktop")"}"#)
                    writer.append(start.addingTimeInterval(Double(index) * 0.008))
                    writer.endRow()
                }
                next = end
                return next < rowCount
            }
            next = 0
            try db.copyIn("COPY feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at) FROM STDIN") { writer in
                let end = min(next + 20_000, rowCount)
                for index in next..<end {
                    let draw = Draw(index)
                    guard draw.clicked else { continue }
                    try writer.append("e\(index)")
                    writer.append(requestID(index))
                    try writer.append("u\(index % 1_000_000)")
                    try writer.append("a")
                    try writer.append("click")
                    writer.append(0.0)
                    writer.append(start.addingTimeInterval(Double(index) * 0.008 + 30))
                    writer.endRow()
                    feedbackRows += 1
                }
                next = end
                return next < rowCount
            }
            try db.executeScript("ANALYZE impressions; ANALYZE feedback")
        }
        print(
            String(
                format: "loaded %d impressions and %d clicks with COPY in %.1f s (%.0f impressions/s, indexes and ANALYZE included)",
                rowCount,
                feedbackRows,
                seconds,
                Double(rowCount) / seconds
            )
        )
    }

    /// Resets VmHWM to the current resident size (Linux ≥ 4.0), so the next reading is the OPE's peak.
    static func resetPeakMemory() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmHWM of /proc/self/status in MiB.
    static func peakMemoryMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = line.split(separator: " ").compactMap({ Double($0) }).first
        else { return .nan }
        return kib / 1024
    }
}

extension OPEBench {
    /// Exports the evaluated logs to CSV with psql, then times abctl's streaming estimators on the
    /// file against scripts/ope_bench_peer.py (pandas read + numpy estimates), alternating.
    static func comparePeer(db: PostgresConnection, conninfo: String, settings: OffPolicyLogReader.Settings, repetitions: Int, rowCount: Int) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-bench-ope.csv")
        let export = """
            \\copy (SELECT i.arm AS action, COALESCE(m.clicks, 0)::double precision AS reward, i.propensity, \
            (i.context->>'age')::double precision AS x_age, CASE WHEN i.context->>'device' = 'mobile' THEN 1 ELSE 0 END AS x_mobile \
            FROM impressions i LEFT JOIN (SELECT a.request_id, count(*) AS clicks FROM impressions a JOIN feedback f \
            ON f.request_id = a.request_id AND f.created_at >= a.created_at AND f.created_at <= a.created_at + interval '3600 seconds' \
            AND f.event_type = 'click' WHERE a.experiment = '\(experiment)' GROUP BY a.request_id) m ON m.request_id = i.request_id \
            WHERE i.experiment = '\(experiment)') TO '\(file.path)' WITH CSV HEADER
            """
        let exportSeconds = try Timing.seconds {
            let output = try ProcessRunner.run("/usr/bin/psql", [conninfo, "-X", "-q", "-c", export])
            guard output.status == 0 else { throw StorageError("psql export failed: \(output.combined)") }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/ope_bench_peer.py").path
        var ours: [Double] = []
        var peerTotal: [Double] = []
        var peerEstimate: [Double] = []
        var peerLine = ""
        var ourValues: [Double] = []
        for _ in 0..<repetitions {
            ours.append(try Timing.seconds { ourValues = try streamCSV(file.path) })
            let output = try ProcessRunner.run("/usr/bin/env", ["python3", script, file.path, "als", "1"])
            guard output.status == 0, let data = output.standardOutput.data(using: .utf8),
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let read = json["read_seconds"] as? Double, let estimate = json["estimate_seconds"] as? Double
            else { throw StorageError("the numpy peer failed: \(output.combined)") }
            peerTotal.append(read + estimate)
            peerEstimate.append(estimate)
            peerLine = output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        print(String(format: "CSV export with psql \\copy: %.1f s (%@)", exportSeconds, file.path))
        print(String(format: "abctl streaming on the CSV (read + IPS, SNIPS, DM, DR, two passes): %.1f s", Timing.median(ours)))
        print(
            String(
                format: "numpy peer (pandas read + estimates):                                 %.1f s (estimates alone %.1f s)",
                Timing.median(peerTotal),
                Timing.median(peerEstimate)
            )
        )
        print(String(format: "ratio numpy/abctl (read + estimate): %.2f", Timing.median(peerTotal) / Timing.median(ours)))
        print("abctl on the CSV: IPS, SNIPS, DM, DR = \(ourValues.map { String(format: "%.6f", $0) }.joined(separator: ", "))")
        print("numpy peer: \(peerLine)")
        try? FileManager.default.removeItem(at: file)
    }

    /// abctl's estimators on the exported CSV, two streamed passes (the file's bytes are read once).
    static func streamCSV(_ path: String) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path) else { throw StorageError("cannot read \(path)") }
        let bytes = [UInt8](data)
        let arms = ["als", "control", "knn"]
        var evaluation = try StreamingOffPolicyEvaluation(
            [.inversePropensity(), .selfNormalizedInversePropensity, .directMethod, .doublyRobust],
            actionCount: 3,
            featureCount: 2,
            options: OffPolicyEvaluationOptions(rewardModel: .ridge(lambda: 1)),
            interval: .normal
        )
        let candidate = [1.0, 0, 0]
        func each(_ body: (LoggedDecision) throws -> Void) throws {
            var reader = DelimitedReader(bytes: bytes)
            _ = try reader.next()
            while let record = try reader.next() {
                let f = record.fields
                guard f.count == 5, let action = arms.firstIndex(of: f[0]), let reward = Double(f[1]), let propensity = Double(f[2]),
                    let age = Double(f[3]), let mobile = Double(f[4])
                else { throw StorageError("bad row at line \(record.line)") }
                try body(
                    LoggedDecision(
                        context: [age, mobile],
                        action: action,
                        reward: reward,
                        loggingPropensity: propensity,
                        candidateDistribution: candidate
                    )
                )
            }
        }
        try each { try evaluation.observeForRewardModel($0) }
        try each { try evaluation.observe($0) }
        return try evaluation.estimates().map(\.value)
    }
}
