import Foundation
import PostgresClient
import Stats
import Storage

/// `abctl report`'s evaluator SQL over ROWS (default 10,000,000) impressions and about a
/// fifth as many feedback events, loaded with COPY into a database of its own; the peer is
/// pandas computing the same per-arm CTR, NDCG@10 and conversion from a CSV export
/// (scripts/report_bench_peer.py), in the same run. Prints medians of REPS (default 3).
enum ReportBench {
    static let experiment = "bench-report"
    static let start = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01 00:00 UTC
    static let days = 7.0
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let rows = Int(environment["ROWS"] ?? "") ?? 10_000_000
        let repetitions = Int(environment["REPS"] ?? "") ?? 3
        let server = try DatabaseLocator.resolve(flag: environment["BENCH_DATABASE_URL"]).conninfo
        let name = "abctl_bench_report_\(rows)"
        let admin = try PostgresConnection(conninfo: server)
        if try admin.query("SELECT 1 FROM pg_database WHERE datname = \(name)").isEmpty {
            try admin.execute("CREATE DATABASE \(identifier: name)")
        }
        guard let url = ConnectionSettings.replacingDatabase(in: server, with: name) else { throw StorageError("cannot address \(name)") }
        let db = try PostgresConnection(conninfo: url)
        _ = try Migrator(migrations: try Migration.load(from: repository.appendingPathComponent("sql"))).migrate(db)
        let abctl = try binary()
        try applySpec(abctl, url: url)
        let present = try db.query("SELECT count(*) FROM impressions WHERE experiment = \(experiment)")[0].decode(Int.self, at: 0)
        if present != rows {
            try db.executeScript("DELETE FROM impressions; DELETE FROM feedback")
            _ = try db.query("SELECT abctl_ensure_partitions('impressions', '2026-11-01', 9), abctl_ensure_partitions('feedback', '2026-11-01', 9)")
            let load = try Timing.seconds { try Generated.load(db, rows: rows) }
            for table in ["impressions", "feedback"] { try db.execute("VACUUM ANALYZE \(identifier: table)") }
            print(String(format: "generated and loaded with COPY in %.1f s", load))
        }
        let feedback = try db.query("SELECT count(*) FROM feedback")[0].decode(Int.self, at: 0)
        print("impressions: \(rows), feedback events: \(feedback), repetitions: \(repetitions) (medians)")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-bench-report-\(rows)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let peerInputs = try export(url: url, to: folder)

        let evaluator = Evaluator(connection: db)
        let settings = Evaluator.Settings(k: 10, attributionWindow: 3600)
        var sqlTimes: [Double] = []
        var commandTimes: [Double] = []
        var peerTimes: [Double] = []
        var cells: [ReportCell] = []
        for _ in 0..<repetitions {
            sqlTimes.append(try Timing.seconds { cells = try evaluator.reportCells(experiment: experiment, settings: settings) })
            commandTimes.append(
                try Timing.seconds {
                    let output = try ProcessRunner.run(
                        abctl.path,
                        ["report", experiment, "--format", "json"],
                        environment: ["DATABASE_URL": url, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
                    )
                    guard output.status == 0 else { throw StorageError("abctl report failed: \(output.combined)") }
                }
            )
            let peer = try ProcessRunner.run(
                "/usr/bin/env",
                ["python3", repository.appendingPathComponent("scripts/report_bench_peer.py").path] + peerInputs + ["1"]
            )
            guard peer.status == 0, let json = try JSONSerialization.jsonObject(with: Data(peer.standardOutput.utf8)) as? [String: Any],
                let seconds = json["seconds"] as? Double, let arms = json["arms"] as? [String: [String: Double]]
            else { throw StorageError("pandas peer failed: \(peer.combined)") }
            peerTimes.append(seconds)
            try check(cells, against: arms)
        }
        let sql = Timing.median(sqlTimes)
        let command = Timing.median(commandTimes)
        let peer = Timing.median(peerTimes)
        print(String(format: "report SQL (abctl_report_cells, all metrics):  %.2f s  %.0f impressions/s", sql, Double(rows) / sql))
        print(String(format: "abctl report --format json (%@ binary):  %.2f s", abctl.kind, command))
        print(String(format: "pandas peer (CTR, NDCG@10, conversion from CSV):  %.2f s", peer))
        print(String(format: "ratio pandas / report SQL: %.2f; pandas / abctl report: %.2f", peer / sql, peer / command))
        print("per-arm CTR, NDCG@10 and conversion agree with pandas to 1e-9")
    }

    /// The abctl executable of the repository's build: release if built, else debug.
    static func binary() throws -> (path: String, kind: String) {
        for kind in ["release", "debug"] {
            let path = repository.appendingPathComponent(".build/\(kind)/abctl").path
            if FileManager.default.isExecutableFile(atPath: path) { return (path, kind) }
        }
        throw StorageError("abctl is not built; run `swift build` in the repository first")
    }

    static func applySpec(_ abctl: (path: String, kind: String), url: String) throws {
        let spec = """
            name: \(experiment)
            schedule:
              start: 2026-11-01T00:00:00Z
            arms:
              - {key: control, strategy: popularity, control: true, weight: 0.5}
              - {key: treatment, strategy: popularity, params: {half_life_hours: 24}, weight: 0.5}
            metrics:
              primary: ndcg@10
              secondary: [ctr, conversion]
              attribution_window: 1h
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-report.yaml")
        try spec.write(to: file, atomically: true, encoding: .utf8)
        let output = try ProcessRunner.run(
            abctl.path,
            ["apply", file.path],
            environment: ["DATABASE_URL": url, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        )
        guard output.status == 0 else { throw StorageError("abctl apply failed: \(output.combined)") }
    }

    /// CSV exports of impressions and feedback for the peer (not timed; reused when present).
    static func export(url: String, to folder: URL) throws -> [String] {
        let impressions = folder.appendingPathComponent("impressions.csv").path
        let feedback = folder.appendingPathComponent("feedback.csv").path
        let queries = [
            (
                impressions,
                "SELECT request_id, unit_id, arm, created_at, array_to_string(item_ids, '|') AS items FROM impressions WHERE experiment = '\(experiment)'"
            ),
            (feedback, "SELECT request_id, item_id, event_type, value, created_at FROM feedback"),
        ]
        for (path, query) in queries where !FileManager.default.fileExists(atPath: path) {
            let output = try ProcessRunner.run("/usr/bin/psql", [url, "-X", "-q", "-c", "\\copy (\(query)) TO '\(path)' WITH (FORMAT csv, HEADER)"])
            guard output.status == 0 else { throw StorageError("psql export failed: \(output.combined)") }
        }
        return [impressions, feedback]
    }

    /// abctl's per-arm aggregates must equal pandas': the benchmark compares equal work.
    static func check(_ cells: [ReportCell], against arms: [String: [String: Double]]) throws {
        for (arm, values) in arms {
            for (metric, key) in [("ctr", "ctr"), ("ndcg@k", "ndcg"), ("conversion", "conversion")] {
                let s = cells.filter { $0.arm == arm && $0.metric == metric }.reduce(SufficientStatistics.zero) { $0 + $1.statistics }
                let ours = s.sum / (s.denominatorSum ?? s.count)
                guard let theirs = values[key], abs(ours - theirs) <= 1e-9 * max(1, abs(theirs)) else {
                    throw StorageError("\(arm) \(metric): abctl \(ours), pandas \(values[key] ?? .nan)")
                }
            }
        }
    }
}

extension ReportBench {
    /// The synthetic log: impression i is a pure function of i (seeded SplitMix64), so the
    /// feedback pass can regenerate the impression it answers. 1,000,000 users, each in one
    /// arm; 10 items of 50,000 per list; about 20% of impressions (22% in treatment) get one
    /// event: click 70%, add_to_cart 15%, purchase 15% (worth 5–104), at a position biased
    /// to the top, within the hour.
    enum Generated {
        struct Impression {
            var id: UUID
            var unit: String
            var arm: String
            var items: [String]
            var time: Date
            var event: (item: String, type: String, value: Double, time: Date)?
        }

        static func impression(_ i: Int, rows: Int) -> Impression {
            var g = SplitMix64(seed: UInt64(i) &* 0x9E37_79B9_7F4A_7C15 ^ 2026)
            let user = g.next() % 1_000_000
            let arm = (user &* 2_654_435_761) % 2 == 0 ? "control" : "treatment"
            let items = (0..<10).map { _ in "i\(g.next() % 50_000)" }
            let time = start.addingTimeInterval(Double(i) * days * 86_400 / Double(rows))
            var event: (String, String, Double, Date)?
            if g.nextUnitDouble() < (arm == "control" ? 0.20 : 0.22) {
                let u = g.nextUnitDouble()
                let position = min(9, Int(10 * u * u))
                let kind = g.nextUnitDouble()
                let type = kind < 0.70 ? "click" : (kind < 0.85 ? "add_to_cart" : "purchase")
                let value = type == "purchase" ? Double(5 + g.next() % 100) : 0
                event = (items[position], type, value, time.addingTimeInterval(Double(g.next() % 3600)))
            }
            var bytes = [UInt8](repeating: 0xAB, count: 16)
            withUnsafeBytes(of: UInt64(i).bigEndian) { for (k, b) in $0.enumerated() { bytes[8 + k] = b } }
            let id = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], 0x40, bytes[7], 0x80, bytes[9], bytes[10], bytes[11], bytes[12],
                    bytes[13], bytes[14], bytes[15]
                )
            )
            return Impression(id: id, unit: "u\(user)", arm: arm, items: items, time: time, event: event)
        }

        /// COPYs the impressions, then the feedback, generating rows as COPY asks for them.
        static func load(_ db: PostgresConnection, rows: Int) throws {
            var next = 0
            _ = try db.copyIn(
                "COPY impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at) FROM STDIN"
            ) { writer in
                let end = min(next + 20_000, rows)
                for i in next..<end {
                    let row = impression(i, rows: rows)
                    writer.append(row.id)
                    try writer.append(experiment)
                    writer.append(1)
                    try writer.append(row.arm)
                    try writer.append(row.unit)
                    try writer.append(row.items)
                    writer.append([10, 9, 8, 7, 6, 5, 4, 3, 2, 1] as [Double])
                    writer.append(0.5)
                    writer.append(1)
                    writer.append(row.time)
                    writer.endRow()
                }
                next = end
                return next < rows
            }
            next = 0
            _ = try db.copyIn("COPY feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at) FROM STDIN") { writer in
                let end = min(next + 20_000, rows)
                for i in next..<end {
                    let row = impression(i, rows: rows)
                    guard let event = row.event else { continue }
                    try writer.append("e\(i)")
                    writer.append(row.id)
                    try writer.append(row.unit)
                    try writer.append(event.item)
                    try writer.append(event.type)
                    writer.append(event.value)
                    writer.append(event.time)
                    writer.endRow()
                }
                next = end
                return next < rows
            }
        }
    }
}
