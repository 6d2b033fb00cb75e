import Foundation
import Logging
import PostgresClient
import Testing

@testable import Server

/// A row PostgreSQL refuses never holds back the others (docs/operations.md, "Impressions"):
/// every other impression is stored once, the refused one sits in the dead-letter file with
/// its request id and PostgreSQL's reason, and `abctl_impressions_rejected_total` counts it.
@Suite("ImpressionWriter isolates impressions PostgreSQL refuses")
struct ImpressionWriterTests {
    static let spec = """
        name: poison-test
        status: running
        sticky: false
        arms:
          - {key: control, strategy: popularity, control: true, weight: 0.5}
          - {key: other, strategy: popularity, weight: 0.5}
        metrics: {primary: ctr}
        """

    /// Makes PostgreSQL refuse every impression of unit `poison` (SQLSTATE 23514).
    static func poison(_ fixture: ServerFixture) throws {
        try fixture.connection().execute("ALTER TABLE impressions ADD CONSTRAINT poison CHECK (unit_id <> 'poison')")
    }

    /// Every request id in `impressions` with its number of rows.
    static func stored(_ fixture: ServerFixture) throws -> [String: Int] {
        try ServerFixture.impressionCounts(on: fixture.connection())
    }

    /// The entries of the fixture's dead-letter file, as JSON objects.
    static func deadLetters(_ fixture: ServerFixture) throws -> [[String: Any]] {
        let file = fixture.spoolDirectory.appendingPathComponent("rejected-impressions.jsonl")
        guard let data = try? Data(contentsOf: file) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        }
    }

    static func impression(unit: String, at time: Date = Date()) -> Impression {
        Impression(
            requestID: UUID(),
            experiment: "poison-test",
            experimentVersion: 1,
            arm: "control",
            unitID: unit,
            itemIDs: ["a", "b"],
            scores: [2, 1],
            propensity: 0.5,
            allocationVersion: 1,
            contextJSON: "{}",
            reason: nil,
            createdAt: time
        )
    }

    @Test("decisions for u1, poison, u2 … through the server: the others are stored once, poison is dead-lettered, later ones still flow")
    func poisonThroughServer() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec)
            try Self.poison(fixture)
            let units = ["u1", "poison"] + (2...20).map { "u\($0)" }
            // A long flush interval puts the decisions into few batches, so the poison shares one.
            let (ids, health, metrics, after) = try await fixture.test(configure: { $0.impressionFlushInterval = .milliseconds(400) }) { client in
                var ids: [String: String] = [:]
                for unit in units { ids[unit] = try await client.requestID(experiment: "poison-test", unit: unit) }
                let rejected = try await ServerFixture.eventually(seconds: 20) {
                    try await client.getText("/metrics").text.contains("abctl_impressions_rejected_total 1\n")
                }
                #expect(rejected)
                // The writer is not stuck: a decision after the refusal is stored too.
                let after = try await client.requestID(experiment: "poison-test", unit: "after")
                let flushed = try await ServerFixture.eventually(seconds: 20) { try Self.stored(fixture)[after] == 1 }
                #expect(flushed)
                return (ids, try await client.getText("/healthz").text, try await client.getText("/metrics").text, after)
            }
            let stored = try Self.stored(fixture)
            let poisonID = try #require(ids["poison"])
            for (unit, id) in ids where unit != "poison" { #expect(stored[id] == 1, "\(unit)'s impression stored \(stored[id] ?? 0) times") }
            #expect(stored[poisonID] == nil)
            #expect(stored.count == units.count)  // 20 good ones and "after"
            #expect(stored[after] == 1)
            let letters = try Self.deadLetters(fixture)
            #expect(letters.count == 1)
            #expect(letters.first?["request_id"] as? String == poisonID)
            #expect(letters.first?["sqlstate"] as? String == "23514")
            #expect((letters.first?["error"] as? String)?.contains("poison") == true)
            #expect((letters.first?["impression"] as? [String: Any])?["unitID"] as? String == "poison")
            #expect(metrics.contains("abctl_impressions_rejected_total 1\n"))
            #expect(health.contains(#""rejected_impressions":1"#))
        }
    }

    @Test("one batch of 100 with two bad rows (a check violation, a NUL PostgreSQL text refuses): 98 stored, 2 dead-lettered")
    func isolatesWithinOneBatch() async throws {
        try await ServerFixture.with { fixture in
            try Self.poison(fixture)
            let metrics = ServerMetrics()
            let buffer = ImpressionBuffer(capacity: 1000)
            var batch = (0..<100).map { Self.impression(unit: "u\($0)") }
            batch[37].unitID = "poison"
            batch[80].unitID = "nul\u{0}unit"
            for impression in batch { try buffer.append(impression) }
            let deadLetter = ImpressionDeadLetter(file: fixture.spoolDirectory.appendingPathComponent("rejected-impressions.jsonl"))
            try FileManager.default.createDirectory(at: fixture.spoolDirectory, withIntermediateDirectories: true)
            let writer = ImpressionWriter(
                buffer: buffer,
                pool: PostgresConnectionPool(conninfo: fixture.conninfo, size: 1),
                metrics: metrics,
                interval: .zero,
                logger: Logger(label: "test"),
                deadLetter: deadLetter
            )
            #expect(await writer.flushOnce())
            #expect(buffer.count == 0)
            let stored = try Self.stored(fixture)
            #expect(stored.count == 98)
            #expect(stored.values.allSatisfy { $0 == 1 })
            let refused = Set([batch[37], batch[80]].map { $0.requestID.uuidString.lowercased() })
            #expect(Set(try Self.deadLetters(fixture).compactMap { $0["request_id"] as? String }) == refused)
            #expect(metrics.impressionsRejected.load(ordering: .relaxed) == 2)
            #expect(metrics.impressionsWritten.load(ordering: .relaxed) == 98)
        }
    }

    @Test("a backlog flushed two batches at once over two connections: every impression stored once, a poison row still isolated")
    func concurrentFlushesStoreEachOnce() async throws {
        try await ServerFixture.with { fixture in
            try Self.poison(fixture)
            let metrics = ServerMetrics()
            let buffer = ImpressionBuffer(capacity: 10_000)
            // 2 500 impressions in batches of 1 000: flushConcurrently takes two batches
            // (1 000 + 1 000) at once, 500 stay for the next flush. Row 1 500 is in the second.
            var backlog = (0..<2_500).map { Self.impression(unit: "u\($0)") }
            backlog[1_500].unitID = "poison"
            for impression in backlog { try buffer.append(impression) }
            try FileManager.default.createDirectory(at: fixture.spoolDirectory, withIntermediateDirectories: true)
            var writer = ImpressionWriter(
                buffer: buffer,
                pool: PostgresConnectionPool(conninfo: fixture.conninfo, size: 2),
                metrics: metrics,
                interval: .zero,
                logger: Logger(label: "test"),
                deadLetter: ImpressionDeadLetter(file: fixture.spoolDirectory.appendingPathComponent("rejected-impressions.jsonl"))
            )
            writer.batchSize = 1_000
            #expect(await writer.flushConcurrently())
            #expect(buffer.count == 500)
            #expect(await writer.flushOnce())
            let stored = try Self.stored(fixture)
            #expect(stored.count == 2_499)
            #expect(stored.values.allSatisfy { $0 == 1 })
            #expect(stored[backlog[1_500].requestID.uuidString.lowercased()] == nil)
            #expect(metrics.impressionsWritten.load(ordering: .relaxed) == 2_499)
            #expect(metrics.impressionsRejected.load(ordering: .relaxed) == 1)
        }
    }

    @Test("a spooled segment holding a poison row: the rest of it is stored, the poison dead-lettered, the segment removed")
    func poisonInSpoolReplay() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec)
            try Self.poison(fixture)
            // What a previous run left in the impression spool while PostgreSQL was away.
            let spoolFolder = fixture.spoolDirectory.appendingPathComponent("impressions")
            var spooled = (0..<30).map { Self.impression(unit: "s\($0)") }
            spooled[12].unitID = "poison"
            try await ImpressionSpool(directory: spoolFolder).append(spooled)
            let replayed = try await fixture.test { client in
                try await ServerFixture.eventually(seconds: 20) {
                    try await client.getText("/healthz").text.contains(#""impression_spool_bytes":0"#)
                }
            }
            #expect(replayed)
            let stored = try Self.stored(fixture)
            for (index, impression) in spooled.enumerated() where index != 12 {
                #expect(stored[impression.requestID.uuidString.lowercased()] == 1)
            }
            #expect(stored.count == 29)
            let letters = try Self.deadLetters(fixture)
            #expect(letters.map { $0["request_id"] as? String } == [spooled[12].requestID.uuidString.lowercased()])
            let left = try FileManager.default.contentsOfDirectory(atPath: spoolFolder.path).filter { $0.hasPrefix("segment-") }
            #expect(left.isEmpty, "segments left: \(left)")
        }
    }

    @Test("a dead-letter file keeps each request id once, across a reopen (a replay repeated after a restart)")
    func deadLetterOnce() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-dead-letter-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let impression = Self.impression(unit: "poison")
        let error = PostgresError(kind: .server, message: "violates check constraint \"poison\"", sqlState: "23514")
        #expect(try await ImpressionDeadLetter(file: file).append(impression, error: error))
        #expect(try await ImpressionDeadLetter(file: file).append(impression, error: error) == false)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
    }
}
