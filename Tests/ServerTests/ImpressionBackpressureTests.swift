import Foundation
import Logging
import PostgresClient
import Testing

@testable import Server

/// Issue 6 item 4: when the impression buffer is full a decision is refused with 503 and
/// Retry-After instead of being answered with its impression dropped; an impression once
/// accepted is never dropped.
@Suite("Impression backpressure")
struct ImpressionBackpressureTests {
    @Test("a full buffer refuses the impression (503, Retry-After 1) and does not remember the decision; putBack reinserts past capacity")
    func bufferRefusesAndNeverDrops() throws {
        let buffer = ImpressionBuffer(capacity: 2)
        let (a, b, c) = (
            ImpressionWriterTests.impression(unit: "a"), ImpressionWriterTests.impression(unit: "b"), ImpressionWriterTests.impression(unit: "c")
        )
        try buffer.append(a)
        try buffer.append(b)
        let error = #expect(throws: APIError.self) { try buffer.append(c) }
        #expect(error?.status == .serviceUnavailable)
        #expect(error?.retryAfter == 1)
        #expect(buffer.recent.unit(of: c.requestID) == nil)
        #expect(buffer.recent.unit(of: a.requestID) == "a")
        // Counting the refusal is for the one who answers it (`fullBufferAnswers503` checks
        // `abctl_decisions_refused_total` against the 503s a live server sent).

        // A flush takes both, fails; meanwhile two new ones fill the buffer; the two go back anyway.
        let taken = buffer.take(upTo: 10)
        let (d, e) = (ImpressionWriterTests.impression(unit: "d"), ImpressionWriterTests.impression(unit: "e"))
        try buffer.append(d)
        try buffer.append(e)
        buffer.putBack(taken)
        #expect(buffer.count == 4)
        #expect(buffer.take(upTo: 10).map(\.unitID) == ["a", "b", "d", "e"])
    }

    @Test("in process (abctl demo, which runs no writer between its flushes) a full buffer is flushed, not refused")
    func inProcessFlushes() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(ImpressionWriterTests.spec)
            var configuration = fixture.configuration
            configuration.maxBufferedImpressions = 3
            let core = try await DecisionCore(configuration: configuration, logger: Logger(label: "test"))
            var ids: [String] = []
            for n in 0..<10 { ids.append(try await core.decide(DecisionRequest(experiment: "poison-test", unitID: "u\(n)")).requestID) }
            try await core.flushImpressions()
            let stored = try ImpressionWriterTests.stored(fixture)
            #expect(ids.allSatisfy { stored[$0] == 1 })
            #expect(stored.count == 10)
        }
    }

    @Test(
        "with impressions locked out of PostgreSQL, decisions get 503 + Retry-After once the buffer is full; every 200's impression is stored after"
    )
    func fullBufferAnswers503() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(ImpressionWriterTests.spec)
            // One connection of its own holds the lock in an open transaction.
            let locker = PostgresConnectionPool(conninfo: fixture.conninfo, size: 1)
            let (accepted, refused, metrics) = try await fixture.test(configure: { $0.maxBufferedImpressions = 3 }) { client in
                try await locker.withConnection { db in
                    try db.executeScript("BEGIN; LOCK TABLE impressions IN ACCESS EXCLUSIVE MODE")
                }
                var accepted: [String] = []
                var refused: [(retryAfter: String?, body: [String: Any])] = []
                // The writer takes at most 3 and blocks on the lock; then 3 fill the buffer.
                for n in 0..<40 {
                    let answer = try await client.postWithHeaders("/v1/decisions", #"{"experiment":"poison-test","unit_id":"u\#(n)"}"#)
                    if answer.status == 200, let id = answer.body["request_id"] as? String {
                        accepted.append(id)
                    } else {
                        #expect(answer.status == 503)
                        refused.append((answer.retryAfter, answer.body))
                    }
                }
                #expect(refused.count >= 40 - 6, "accepted \(accepted.count) while PostgreSQL was locked")
                for answer in refused {
                    #expect(answer.retryAfter == "1")
                    let error = answer.body["error"] as? [String: Any]
                    #expect(error?["status"] as? Int == 503)
                    #expect((error?["message"] as? String)?.isEmpty == false)
                }
                try await locker.withConnection { db in try db.executeScript("ROLLBACK") }
                let ids = accepted
                let stored = try await ServerFixture.eventually(seconds: 20) {
                    let counts = try ImpressionWriterTests.stored(fixture)
                    return ids.allSatisfy { counts[$0] == 1 }
                }
                #expect(stored)
                return (accepted, refused.count, try await client.getText("/metrics").text)
            }
            #expect(accepted.count >= 3)
            #expect(try ImpressionWriterTests.stored(fixture).count == accepted.count)
            #expect(metrics.contains("abctl_decisions_refused_total \(refused)\n"))
            #expect(metrics.contains("abctl_decisions_total \(accepted.count)\n"))
        }
    }
}
