import Foundation
import PostgresClient
import Testing

/// The acknowledgement contract (docs/operations.md): a 202 means the events survive a
/// SIGKILL of the server and a PostgreSQL outage, and end up in PostgreSQL exactly once.
@Suite("Durability of acknowledged events", .serialized)
struct DurabilityTests {
    static let spec = """
        name: outage
        status: running
        arms:
          - {key: control, strategy: popularity, control: true, weight: 0.5}
          - {key: other, strategy: popularity, weight: 0.5}
        metrics: {primary: ctr}
        """

    /// `count` events of unit u1 answering decision `request`.
    static func batch(_ prefix: String, _ count: Int, request: String) -> (ids: [String], json: String) {
        let time = isoTime(-5)
        let ids = (0..<count).map { "\(prefix)-\($0)" }
        return (ids, #"{"events":[\#(ids.map { eventJSON(id: $0, request: request, timestamp: time) }.joined(separator: ","))]}"#)
    }

    /// Makes a decision for `unit` on the outage experiment; its request_id, nil when it failed.
    static func decide(_ server: ServeProcess, unit: String) async -> String? {
        await server.post("/v1/decisions", #"{"experiment":"outage","unit_id":"\#(unit)"}"#)?.body["request_id"] as? String
    }

    /// Every request id in impressions with its number of rows.
    static func impressions(_ cluster: PrivateCluster) throws -> [String: Int] {
        try ServerFixture.impressionCounts(on: cluster.connection())
    }

    /// Every event id in feedback with its number of rows.
    static func stored(_ cluster: PrivateCluster) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try cluster.connection().query("SELECT event_id, count(*) FROM feedback GROUP BY event_id") {
            let (id, count) = try row.decode((String, Int).self)
            counts[id] = count
        }
        return counts
    }

    @Test("events acknowledged before a SIGKILL of the server are all stored, once")
    func survivesKill() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        _ = try ServerFixture.applySpec(Self.spec, on: cluster.connection())
        let spool = cluster.home.appendingPathComponent("spool")
        let server = try ServeProcess(cluster: cluster, spool: spool)
        let request = try #require(await Self.decide(server, unit: "u1"))
        // A stream of batches; the server is killed once three batches are acknowledged (stored
        // alone is not enough: a batch may be committed before its 202 reaches the client).
        let killSent = Flag()
        let acknowledgedBatches = Counter()
        let stream = Task {
            var acknowledged: [String] = []
            for n in 0..<1000 {
                let (ids, json) = Self.batch("k\(n)", 100, request: request)
                // Until the kill, a failed attempt (a slow start on a loaded machine) is retried
                // with the same event ids, as a client would; after it, the stream ends.
                var answer = await server.post("/v1/events", json)
                while answer?.status != 202, !killSent.isSet {
                    try? await Task.sleep(for: .milliseconds(50))
                    answer = await server.post("/v1/events", json)
                }
                guard answer?.status == 202 else { break }
                acknowledged += ids
                acknowledgedBatches.increment()
            }
            return acknowledged
        }
        let killed = try await ServerFixture.eventually(seconds: 120) { acknowledgedBatches.value >= 3 }
        killSent.set()
        server.kill9()
        let acknowledged = await stream.value
        #expect(killed, "three batches should be acknowledged within two minutes")

        let restarted = try ServeProcess(cluster: cluster, spool: spool)
        let counts = try Self.stored(cluster)
        let missing = acknowledged.filter { counts[$0] != 1 }
        #expect(missing.isEmpty, "acknowledged but not stored exactly once: \(missing.prefix(5))")
        #expect(restarted.terminate() == 0)
    }

    @Test("events acknowledged while PostgreSQL is down are spooled and replayed exactly once, across a SIGKILL too")
    func survivesPostgresOutage() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        _ = try ServerFixture.applySpec(Self.spec, on: cluster.connection())
        let spool = cluster.home.appendingPathComponent("spool")
        var server = try ServeProcess(cluster: cluster, spool: spool)
        var expected: [String] = []
        var decisions: [String] = []
        let request = try #require(await Self.decide(server, unit: "u1"))
        decisions.append(request)

        let before = Self.batch("before", 50, request: request)
        #expect(await server.post("/v1/events", before.json)?.body["spooled"] as? Bool == false)
        expected += before.ids

        // Outage 1: the running server spools, keeps deciding, and replays when PostgreSQL returns.
        try cluster.stop()
        let during = Self.batch("during", 200, request: request)
        let spooled = await server.post("/v1/events", during.json)
        #expect(spooled?.status == 202)
        #expect(spooled?.body["spooled"] as? Bool == true)
        #expect(await server.post("/v1/events", during.json)?.status == 202)  // a client retry, spooled twice
        expected += during.ids
        // A request id the server cannot check while PostgreSQL is away is accepted, not refused.
        let unchecked = Self.batch("unchecked", 1, request: UUID().uuidString.lowercased())
        let uncheckedAnswer = await server.post("/v1/events", unchecked.json)
        #expect(uncheckedAnswer?.body["accepted"] as? Int == 1)
        #expect(uncheckedAnswer?.body["spooled"] as? Bool == true)
        expected += unchecked.ids
        for n in 0..<100 {
            let decided = await Self.decide(server, unit: "outage-\(n)")
            #expect(decided != nil, "decisions keep flowing while PostgreSQL is down")
            decisions += [decided].compactMap { $0 }
        }
        try cluster.restartOnSamePort()
        let replayed = try await ServerFixture.eventually(seconds: 30) { Set(try Self.stored(cluster).keys).isSuperset(of: expected) }
        #expect(replayed)

        // Outage 2: spooled events and impressions outlive a SIGKILL and are replayed by the next server.
        try cluster.stop()
        let killed = Self.batch("killed", 100, request: request)
        #expect(await server.post("/v1/events", killed.json)?.body["spooled"] as? Bool == true)
        expected += killed.ids
        for n in 0..<50 {
            decisions += [await Self.decide(server, unit: "killed-\(n)")].compactMap { $0 }
        }
        // Wait until the writer has moved every impression from memory to its spool (a SIGKILL
        // loses the last ~100 ms held in memory, by design).
        let drained = try await ServerFixture.eventually(seconds: 10) {
            let health = await server.get("/healthz")
            return health?.body["buffered_impressions"] as? Int == 0
        }
        #expect(drained)
        server.kill9()
        try cluster.restartOnSamePort()
        server = try ServeProcess(cluster: cluster, spool: spool)
        #expect(await server.post("/v1/events", killed.json)?.status == 202)  // retried after the crash
        let recovered = try await ServerFixture.eventually(seconds: 30) {
            let impressions = try Self.impressions(cluster)
            return Set(try Self.stored(cluster).keys).isSuperset(of: expected) && decisions.allSatisfy { impressions[$0] != nil }
        }
        #expect(recovered)

        let counts = try Self.stored(cluster)
        #expect(counts.count == expected.count)
        #expect(counts.values.allSatisfy { $0 == 1 }, "every event stored exactly once")
        let impressions = try Self.impressions(cluster)
        #expect(decisions.count == 151)
        #expect(impressions.count == decisions.count, "one impression per decision, no other")
        let notOnce = decisions.filter { impressions[$0] != 1 }
        #expect(notOnce.isEmpty, "impressions not stored exactly once: \(notOnce.prefix(5))")
        #expect(server.terminate() == 0)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []
        #expect(left.filter { $0.hasPrefix("segment-") }.isEmpty, "replayed segments are deleted")
        let impressionSpool = (try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent("impressions").path)) ?? []
        #expect(impressionSpool.filter { $0.hasPrefix("segment-") }.isEmpty, "replayed impression segments are deleted")
    }

    @Test("SIGTERM flushes buffered impressions before the server exits with status 0")
    func gracefulShutdownFlushes() async throws {
        let cluster = try PrivateCluster()
        defer { cluster.destroy() }
        _ = try ServerFixture.applySpec(
            """
            name: shutdown
            status: running
            sticky: false
            arms:
              - {key: control, strategy: popularity, control: true, weight: 0.5}
              - {key: other, strategy: popularity, weight: 0.5}
            metrics: {primary: ctr}
            """,
            on: cluster.connection()
        )
        let server = try ServeProcess(cluster: cluster, spool: cluster.home.appendingPathComponent("spool"))
        var requestIDs: [String] = []
        for n in 0..<200 {
            let answer = await server.post("/v1/decisions", #"{"experiment":"shutdown","unit_id":"u\#(n)"}"#)
            requestIDs += [answer?.body["request_id"] as? String].compactMap { $0 }
        }
        #expect(requestIDs.count == 200)
        #expect(server.terminate() == 0)
        let stored = Set(try cluster.connection().query("SELECT request_id::text FROM impressions").map { try $0.decode(String.self, at: 0) })
        #expect(stored == Set(requestIDs))
    }
}

/// A one-way switch shared between the test and its request stream.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// A count shared between the test and its request stream.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
