import Foundation
import PostgresClient
import Stats
import Storage

/// Loads 1,000,000 impression-shaped rows through the client's COPY paths (text and binary),
/// and the same rows with `psql -c "\copy …"` from a file in each format, alternating, five
/// times each; prints medians.
enum CopyBench {
    struct ImpressionRow {
        var requestID: UUID
        var experiment: String
        var version: Int
        var arm: String
        var unit: String
        var items: [String]
        var scores: [Double]
        var propensity: Double
        var allocationVersion: Int
        var context: String
        var time: Date
    }

    static func run() async throws {
        let rowCount = Int(ProcessInfo.processInfo.environment["ROWS"] ?? "") ?? 1_000_000
        let repetitions = 5
        let url = try DatabaseLocator.resolve(flag: ProcessInfo.processInfo.environment["BENCH_DATABASE_URL"]).conninfo
        let db = try PostgresConnection(conninfo: url)
        try db.executeScript(
            """
            DROP TABLE IF EXISTS bench_copy_target;
            CREATE TABLE bench_copy_target (
                request_id uuid, experiment text, experiment_version integer, arm text, unit_id text,
                item_ids text[], scores double precision[], propensity double precision,
                allocation_version bigint, context jsonb, created_at timestamptz
            );
            """
        )
        var generator = SplitMix64(seed: 2026)
        let arms = ["control", "als", "item_knn"]
        let start = Date(timeIntervalSince1970: 1_795_910_400)
        let rows = (0..<rowCount).map { index in
            ImpressionRow(
                requestID: UUID(),
                experiment: "homepage-ranking",
                version: 3,
                arm: arms[Int(generator.next() % 3)],
                unit: "user-\(generator.next() % 200_000)",
                items: (0..<10).map { _ in "item-\(generator.next() % 50_000)" },
                scores: (0..<10).map { _ in generator.nextUnitDouble() },
                propensity: 1.0 / 3.0,
                allocationVersion: 12,
                context: #"{"country": "de", "device": "mobile"}"#,
                time: start.addingTimeInterval(Double(index) * 0.05)
            )
        }
        // The same rows as COPY text and binary files for psql.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-bench-copy.tsv")
        let binaryFile = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-bench-copy.bin")
        try db.executeScript("TRUNCATE bench_copy_target")
        var cursor = 0
        _ = try db.copyIn("COPY bench_copy_target FROM STDIN") { writer in
            cursor = try fill(&writer, rows, from: cursor)
            return cursor < rows.count
        }
        try db.executeScript("COPY (SELECT * FROM bench_copy_target) TO STDOUT")  // warm the catalog
        func psql(_ command: String) throws {
            let output = try ProcessRunner.run("/usr/bin/psql", [url, "-X", "-q", "-c", command])
            guard output.status == 0 else { throw StorageError("psql failed: \(output.combined)") }
        }
        /// Seconds `load` takes into the emptied, checkpointed table.
        func timedLoad(_ load: () throws -> Void) throws -> Double {
            try db.executeScript("TRUNCATE bench_copy_target; CHECKPOINT")
            return try Timing.seconds(load)
        }
        try psql("\\copy bench_copy_target TO '\(file.path)'")
        try psql("\\copy bench_copy_target TO '\(binaryFile.path)' (FORMAT binary)")

        var ours: [Double] = []
        var psqlText: [Double] = []
        var oursBinary: [Double] = []
        var psqlBinary: [Double] = []
        for _ in 0..<repetitions {
            ours.append(
                try timedLoad {
                    var next = 0
                    _ = try db.copyIn("COPY bench_copy_target FROM STDIN") { writer in
                        next = try fill(&writer, rows, from: next)
                        return next < rows.count
                    }
                }
            )
            psqlText.append(try timedLoad { try psql("\\copy bench_copy_target FROM '\(file.path)'") })
            oursBinary.append(
                try timedLoad {
                    var next = 0
                    _ = try db.copyInBinary("COPY bench_copy_target FROM STDIN (FORMAT binary)") { writer in
                        next = try fillBinary(&writer, rows, from: next)
                        return next < rows.count
                    }
                }
            )
            psqlBinary.append(try timedLoad { try psql("\\copy bench_copy_target FROM '\(binaryFile.path)' (FORMAT binary)") })
        }
        let count = try db.query("SELECT count(*) FROM bench_copy_target")[0].decode(Int.self, at: 0)
        precondition(count == rowCount, "psql loaded \(count) rows")
        try db.executeScript("DROP TABLE bench_copy_target")
        try? FileManager.default.removeItem(at: file)
        try? FileManager.default.removeItem(at: binaryFile)
        print("rows: \(rowCount), repetitions: \(repetitions) (medians)")
        for (format, abctl, peer) in [("text", ours, psqlText), ("binary", oursBinary, psqlBinary)] {
            let oursRate = Double(rowCount) / Timing.median(abctl)
            let psqlRate = Double(rowCount) / Timing.median(peer)
            print("\(format) abctl COPY:  " + String(format: "%.2f s  %.0f rows/s", Timing.median(abctl), oursRate))
            print("\(format) psql \\copy:  " + String(format: "%.2f s  %.0f rows/s", Timing.median(peer), psqlRate))
            print("\(format) ratio abctl/psql: " + String(format: "%.2f", oursRate / psqlRate))
        }
    }

    /// As `fill`, in the binary format (each field as its column's type).
    static func fillBinary(_ writer: inout BinaryCopyWriter, _ rows: [ImpressionRow], from start: Int) throws -> Int {
        let end = min(start + 20_000, rows.count)
        for row in rows[start..<end] {
            try writer.appendRow { fields in
                fields.append(uuid: row.requestID)
                try fields.append(text: row.experiment)
                try fields.append(int4: row.version)
                try fields.append(text: row.arm)
                try fields.append(text: row.unit)
                try fields.append(textArray: row.items)
                fields.append(float8Array: row.scores)
                fields.append(float8: row.propensity)
                fields.append(int8: Int64(row.allocationVersion))
                try fields.append(jsonb: row.context)
                fields.append(timestamptz: row.time)
            }
        }
        return end
    }

    /// Appends up to 20,000 rows starting at `start`; returns the next index.
    static func fill(_ writer: inout CopyWriter, _ rows: [ImpressionRow], from start: Int) throws -> Int {
        let end = min(start + 20_000, rows.count)
        for row in rows[start..<end] {
            writer.append(row.requestID)
            try writer.append(row.experiment)
            writer.append(row.version)
            try writer.append(row.arm)
            try writer.append(row.unit)
            try writer.append(row.items)
            writer.append(row.scores)
            writer.append(row.propensity)
            writer.append(row.allocationVersion)
            try writer.append(row.context)
            writer.append(row.time)
            writer.endRow()
        }
        return end
    }
}
