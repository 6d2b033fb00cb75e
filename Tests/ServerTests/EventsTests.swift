import Foundation
import Testing

@Suite("POST /v1/events")
struct EventsTests {
    @Test("a valid batch is stored; its retry is all duplicates and stores nothing twice")
    func validBatchAndRetry() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let time = isoTime(-60)
            try await fixture.test { client in
                let request = try await client.requestID(unit: "u1")
                let batch =
                    #"{"events":[\#((1...3).map { eventJSON(id: "e\($0)", request: request, item: "i\($0)", value: Double($0), timestamp: time) }.joined(separator: ","))]}"#
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

    @Test("an event must answer a decision: an unknown request_id and another unit are refused; a stored decision is found after a restart")
    func requestIDsAreChecked() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let now = isoTime()
            let unknown = "6b3f1f5e-0b1a-4c39-9d55-5d0b7c9a1b11"
            let request = try await fixture.test { client in
                let request = try await client.requestID(unit: "u1")
                let events = [
                    eventJSON(id: "known", request: request, unit: "u1", timestamp: now),
                    eventJSON(id: "unknown", request: unknown, unit: "u1", timestamp: now),
                    eventJSON(id: "other-unit", request: request, unit: "u2", timestamp: now),
                ]
                let answer = try await client.post("/v1/events", #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(answer.status == 202)
                #expect(answer.body["accepted"] as? Int == 1)
                #expect(answer.body["rejected"] as? Int == 2)
                let errors = (answer.body["errors"] as? [[String: Any]]) ?? []
                #expect(errors.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "?")" } == ["1:request_id", "2:unit_id"])
                #expect(
                    errors.first?["message"] as? String
                        == "No decision has request_id \(unknown); send the request_id a decision returned"
                )
                #expect((errors.last?["message"] as? String)?.contains(#"was decided for unit_id "u1", not "u2""#) == true)
                return request
            }
            // A new server knows nothing in memory: the decision is found in impressions.
            let db = try fixture.connection()
            #expect(try await ServerFixture.eventually { try db.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) == 1 })
            try await fixture.test { client in
                let events = [
                    eventJSON(id: "after-restart", request: request, unit: "u1", timestamp: now),
                    eventJSON(id: "after-restart-other-unit", request: request, unit: "u9", timestamp: now),
                    eventJSON(id: "still-unknown", request: unknown, unit: "u1", timestamp: now),
                ]
                let answer = try await client.post("/v1/events", #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(answer.body["accepted"] as? Int == 1)
                let errors = (answer.body["errors"] as? [[String: Any]]) ?? []
                #expect(errors.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "?")" } == ["1:unit_id", "2:request_id"])
            }
            let stored = try db.query("SELECT event_id FROM feedback ORDER BY event_id").map { try $0.decode(String.self, at: 0) }
            #expect(stored == ["after-restart", "known"])
        }
    }

    @Test("a mixed batch stores the good events and names the bad field of each other one")
    func mixedBatch() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let now = isoTime()
            try await fixture.test { client in
                let request = try await client.requestID(unit: "u1")
                let events = [
                    eventJSON(id: "good", request: request, timestamp: now),
                    #"{"event_id":"no-unit","request_id":"\#(request)","item_id":"i","type":"click","timestamp":"\#(now)"}"#,
                    eventJSON(id: "bad-type", request: request, type: "like", timestamp: now),
                    eventJSON(id: "future", request: request, timestamp: isoTime(25 * 3600)),
                    eventJSON(id: "past", request: request, timestamp: isoTime(-31 * 24 * 3600)),
                    eventJSON(id: "bad-request", request: "not-a-uuid", timestamp: now),
                    #"{"event_id":"bad-value","request_id":"\#(request)","unit_id":"u1","item_id":"i","type":"view","value":"9","timestamp":"\#(now)"}"#,
                    "42",
                ]
                let answer = try await client.post("/v1/events", #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(answer.status == 202)
                #expect(answer.body["accepted"] as? Int == 1)
                #expect(answer.body["rejected"] as? Int == 7)
                let errors = (answer.body["errors"] as? [[String: Any]]) ?? []
                let pairs = errors.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "?")" }
                #expect(pairs == ["1:unit_id", "2:type", "3:timestamp", "4:timestamp", "5:request_id", "6:value", "7:events[7]"])
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
            let batch =
                #"{"events":[\#((0...1000).map { eventJSON(id: "e\($0)", request: UUID().uuidString, timestamp: time) }.joined(separator: ","))]}"#
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
            // Offsets counted by hand: the byte where the fault starts, from 0.
            (#"{"events": ["#, "The request body is not valid JSON: the body ends where a value was expected at byte 12", nil),
            (
                #"{"events":[{"value":1e400}]}"#,
                "Field events[0].value is not valid JSON: a number beyond the range of a 64-bit float at byte 20", "events[0].value"
            ),
            (
                #"{"events":[{},{"unit_id":"\ud800"}]}"#,
                #"Field events[1].unit_id is not valid JSON: half of a UTF-16 surrogate pair (\ud800) with no other half at byte 26"#,
                "events[1].unit_id"
            ),
            (#"{"events":[{"type":"click"} {}]}"#, "Field events is not valid JSON: a character where ',' or ']' belongs at byte 28", "events"),
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
