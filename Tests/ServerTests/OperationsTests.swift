import Foundation
import Testing

@Suite("Backpressure, health and metrics")
struct OperationsTests {
    @Test("a batch past the in-flight limit gets 503 with Retry-After and nothing is stored")
    func backpressure() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let time = isoTime()
            try await fixture.test(configure: { $0.maxEventsInFlight = 5 }) { client in
                let request = try await client.requestID(unit: "u1")
                let batch = #"{"events":[\#((0..<10).map { eventJSON(id: "e\($0)", request: request, timestamp: time) }.joined(separator: ","))]}"#
                let answer = try await client.postWithHeaders("/v1/events", batch)
                #expect(answer.status == 503)
                #expect(answer.retryAfter == "1")
            }
            #expect(try fixture.connection().query("SELECT count(*) FROM feedback")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test("healthz reports PostgreSQL and an empty spool; metrics count decisions by arm and events by outcome")
    func healthAndMetrics() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let time = isoTime()
            try await fixture.test { client in
                let health = try await client.getText("/healthz")
                #expect(health.status == 200)
                #expect(health.text.contains(#""postgres":true"#))
                #expect(health.text.contains(#""spool_bytes":0"#))
                #expect(health.text.contains(#""impression_spool_bytes":0"#))
                #expect(try await client.getText("/readyz").status == 200)

                let decision = try await client.post("/v1/decisions", #"{"experiment":"server-test","unit_id":"u7"}"#)
                let arm = try #require(decision.body["arm"] as? String)
                let request = try #require(decision.body["request_id"] as? String)
                // 2 events, one a duplicate of the other (same id and time), and one bad event.
                let events = [
                    eventJSON(id: "m1", request: request, unit: "u7", timestamp: time),
                    eventJSON(id: "m1", request: request, unit: "u7", timestamp: time),
                    eventJSON(id: "m2", request: request, unit: "u7", type: "?", timestamp: time),
                ]
                _ = try await client.post("/v1/events", #"{"events":[\#(events.joined(separator: ","))]}"#)

                let metrics = try await client.getText("/metrics")
                #expect(metrics.status == 200)
                let lines = Set(metrics.text.split(separator: "\n").map(String.init))
                #expect(lines.contains("abctl_decisions_total 1"))
                #expect(lines.contains(#"abctl_decisions_by_arm_total{experiment="server-test",arm="\#(arm)"} 1"#))
                #expect(lines.contains(#"abctl_events_total{outcome="accepted"} 1"#))
                #expect(lines.contains(#"abctl_events_total{outcome="duplicate"} 1"#))
                #expect(lines.contains(#"abctl_events_total{outcome="rejected"} 1"#))
                #expect(lines.contains("abctl_spool_bytes 0"))
                #expect(lines.contains("abctl_impression_spool_bytes 0"))
                #expect(lines.contains("abctl_experiments_loaded 1"))
            }
        }
    }
}
