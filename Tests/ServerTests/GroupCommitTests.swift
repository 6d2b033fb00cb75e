import Foundation
import PostgresClient
import Testing

@testable import Server

/// Concurrent event batches are committed together, yet each request gets exact counts.
@Suite("Group commit of event batches")
struct GroupCommitTests {
    @Test("one transaction for several batches credits each new event to the first batch carrying it")
    func countsPerBatch() async throws {
        try await ServerFixture.with { fixture in
            let db = try fixture.connection()
            #expect(try FeedbackTable.insert([FeedbackEvent.sample("x")], on: db) == 1)
            // B0 = a b x: a, b new; x stored before         → 2
            // B1 = b c:   b came with B0; c new             → 1
            // B2 = c d d: c came with B1; d new, once       → 1
            // B3 = (empty)                                  → 0
            let counts = try FeedbackTable.insert(
                batches: [["a", "b", "x"], ["b", "c"], ["c", "d", "d"], []].map { $0.map(FeedbackEvent.sample) },
                on: db
            )
            #expect(counts == [2, 1, 1, 0])
            let stored = try db.query("SELECT event_id FROM feedback ORDER BY event_id").map { try $0.decode(String.self, at: 0) }
            #expect(stored == ["a", "b", "c", "d", "x"])
        }
    }

    @Test("16 concurrent overlapping batches: every event is accepted by exactly one request and stored once")
    func concurrentRequests() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let time = isoTime(-5)
            let receipts = try await fixture.test { client in
                let request = try await client.requestID(unit: "u1")
                // Request n carries events n*25 ..< n*25 + 50: each overlaps the next by 25.
                return try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                    for n in 0..<16 {
                        let events = (n * 25..<n * 25 + 50).map { eventJSON(id: "g\($0)", request: request, timestamp: time) }
                        group.addTask {
                            let answer = try await client.post("/v1/events", #"{"events":[\#(events.joined(separator: ","))]}"#)
                            #expect(answer.status == 202)
                            return (answer.body["accepted"] as? Int ?? -1, answer.body["duplicates"] as? Int ?? -1)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            // Distinct events: 0 ..< 15*25 + 50 = 425; each request reports all 50 of its own.
            #expect(receipts.map { $0.0 }.reduce(0, +) == 425)
            #expect(receipts.allSatisfy { $0.0 + $0.1 == 50 })
            let stored = try fixture.connection().query("SELECT count(*), count(DISTINCT event_id) FROM feedback")[0].decode((Int, Int).self)
            #expect(stored == (425, 425))
        }
    }
}
