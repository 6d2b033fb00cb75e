import Foundation
import Testing

@Suite("POST /v1/events")
struct EventsTests {
    @Test("a valid batch is stored; its retry is all duplicates and stores nothing twice")
    func validBatchAndRetry() async throws {
        try await ServerFixture.with { fixture in
            let time = isoTime(-60)
            let batch =
                #"{"events":[\#((1...3).map { eventJSON(id: "e\($0)", item: "i\($0)", value: Double($0), timestamp: time) }.joined(separator: ","))]}"#
            try await fixture.test { client in
                let first = try await client.post("/v1/events", batch)
                #expect(first.status == 202)
                #expect(first.body["accepted"] as? Int == 3)
                #expect(first.body["duplicates"] as? Int == 0)
                #expect(first.body["rejected"] as? Int == 0)
                let retry = try await client.post("/v1/events", batch)
                #expect(retry.status == 202)
                #expect(retry.body["accepted"] as? Int == 0)
                #expect(retry.body["duplicates"] as? Int == 3)
            }
            let rows = try fixture.connection().query("SELECT event_id, item_id, event_type, value FROM feedback ORDER BY event_id")
            let stored = try rows.map { try $0.decode((String, String, String, Double).self) }
            #expect(stored.map(\.0) == ["e1", "e2", "e3"])
            #expect(stored.map(\.1) == ["i1", "i2", "i3"])
            #expect(stored.map(\.2) == ["click", "click", "click"])
            #expect(stored.map(\.3) == [1, 2, 3])
        }
    }

    @Test("a mixed batch stores the good events and names the bad field of each other one")
    func mixedBatch() async throws {
        try await ServerFixture.with { fixture in
            let now = isoTime()
            let events = [
                eventJSON(id: "good", timestamp: now),
                #"{"event_id":"no-unit","request_id":"6b3f1f5e-0b1a-4c39-9d55-5d0b7c9a1b11","item_id":"i","type":"click","timestamp":"\#(now)"}"#,
                eventJSON(id: "bad-type", type: "like", timestamp: now),
                eventJSON(id: "future", timestamp: isoTime(25 * 3600)),
                eventJSON(id: "past", timestamp: isoTime(-31 * 24 * 3600)),
                eventJSON(id: "bad-request", request: "not-a-uuid", timestamp: now),
                #"{"event_id":"bad-value","request_id":"6b3f1f5e-0b1a-4c39-9d55-5d0b7c9a1b11","unit_id":"u","item_id":"i","type":"view","value":"9","timestamp":"\#(now)"}"#,
                "42",
            ]
            try await fixture.test { client in
                let answer = try await client.post("/v1/events", #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(answer.status == 202)
                #expect(answer.body["accepted"] as? Int == 1)
                #expect(answer.body["rejected"] as? Int == 7)
                let errors = (answer.body["errors"] as? [[String: Any]]) ?? []
                let pairs = errors.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "?")" }
                #expect(pairs == ["1:unit_id", "2:type", "3:timestamp", "4:timestamp", "5:request_id", "6:value", "7:"])
                #expect(errors.first?["event_id"] as? String == "no-unit")
                #expect((errors[1]["message"] as? String)?.contains("Unknown event type \"like\"") == true)
            }
            let stored = try fixture.connection().query("SELECT event_id FROM feedback").map { try $0.decode(String.self, at: 0) }
            #expect(stored == ["good"])
        }
    }

    @Test("a batch over 1000 events is refused with 413 and nothing is stored")
    func oversizedBatch() async throws {
        try await ServerFixture.with { fixture in
            let time = isoTime()
            let batch = #"{"events":[\#((0...1000).map { eventJSON(id: "e\($0)", timestamp: time) }.joined(separator: ","))]}"#
            try await fixture.test { client in
                let answer = try await client.post("/v1/events", batch)
                #expect(answer.status == 413)
                let error = answer.body["error"] as? [String: Any]
                #expect((error?["message"] as? String)?.contains("at most 1000 events; this one has 1001") == true)
            }
            #expect(try fixture.connection().query("SELECT count(*) FROM feedback")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test(
        "malformed bodies get 400 with a message naming the problem",
        arguments: [
            (#"{"events": ["#, "The request body is not valid JSON", nil),
            (#"{"events": 5}"#, "Field events must be of type array", "events"),
            (#"{"batch": []}"#, "Field events is required", "events"),
        ] as [(String, String, String?)]
    )
    func badJSON(body: String, message: String, field: String?) async throws {
        try await ServerFixture.with { fixture in
            try await fixture.test { client in
                let answer = try await client.post("/v1/events", body)
                #expect(answer.status == 400)
                let error = answer.body["error"] as? [String: Any]
                #expect(error?["message"] as? String == message)
                #expect(error?["field"] as? String == field)
            }
        }
    }
}
