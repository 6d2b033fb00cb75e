import Foundation
import Logging
import PostgresClient
import Testing

@testable import Server

/// POST /v1/outcomes over real HTTP, and the outcome events' durable path (spool, replay)
/// against a real PostgreSQL: the guarantees of feedback events, for events keyed by unit.
@Suite("POST /v1/outcomes")
struct OutcomeEventsTests {
    static func outcomeJSON(id: String, unit: String = "u1", type: String = "order", value: String? = "19.5", timestamp: String) -> String {
        let valueField = value.map { #","value":\#($0)"# } ?? ""
        return #"{"event_id":"\#(id)","unit_id":"\#(unit)","type":"\#(type)"\#(valueField),"timestamp":"\#(timestamp)"}"#
    }

    static func stored(_ db: PostgresConnection) throws -> [String] {
        try db.query(
            "SELECT event_id || ':' || unit_id || ':' || event_type || ':' || coalesce(value::text, 'null') FROM outcome_events ORDER BY event_id"
        )
        .map { try $0.decode(String.self, at: 0) }
    }

    @Test("a valid batch needs no decision and is stored; its retry is all duplicates and stores nothing twice")
    func validBatchAndRetry() async throws {
        try await ServerFixture.with { fixture in
            let time = isoTime(-60)
            let events = [
                Self.outcomeJSON(id: "o1", unit: "u1", type: "order", value: "19.5", timestamp: time),
                Self.outcomeJSON(id: "o2", unit: "u2", type: "signup", value: nil, timestamp: time),
                Self.outcomeJSON(id: "o3", unit: "u1", type: "session_start", value: "null", timestamp: time),
            ]
            let batch = #"{"events":[\#(events.joined(separator: ","))]}"#
            try await fixture.test { client in
                let first = try await client.post("/v1/outcomes", batch)
                #expect(first.status == 202)
                #expect(first.body["accepted"] as? Int == 3)
                #expect(first.body["duplicates"] as? Int == 0)
                #expect(first.body["spooled"] as? Bool == false)
                let retry = try await client.post("/v1/outcomes", batch)
                #expect(retry.status == 202)
                #expect(retry.body["accepted"] as? Int == 0)
                #expect(retry.body["duplicates"] as? Int == 3)
            }
            #expect(try Self.stored(fixture.connection()) == ["o1:u1:order:19.5", "o2:u2:signup:null", "o3:u1:session_start:null"])
        }
    }

    @Test("a mixed batch stores the good events and names the bad field of each other one")
    func mixedBatch() async throws {
        try await ServerFixture.with { fixture in
            let now = isoTime()
            let events = [
                Self.outcomeJSON(id: "good", timestamp: now),
                Self.outcomeJSON(id: "bad-type", type: "Order!", timestamp: now),
                Self.outcomeJSON(id: "bad-value", value: #""12""#, timestamp: now),
                #"{"event_id":"no-unit","type":"order","timestamp":"\#(now)"}"#,
                Self.outcomeJSON(id: "too-old", timestamp: isoTime(-40 * 24 * 3600)),
                #"[1]"#,
            ]
            try await fixture.test { client in
                let answer = try await client.post("/v1/outcomes", #"{"events":[\#(events.joined(separator: ","))]}"#)
                #expect(answer.status == 202)
                #expect(answer.body["accepted"] as? Int == 1)
                #expect(answer.body["rejected"] as? Int == 5)
                let errors = (answer.body["errors"] as? [[String: Any]]) ?? []
                #expect(
                    errors.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "?")" }
                        == ["1:type", "2:value", "3:unit_id", "4:timestamp", "5:events[5]"]
                )
                #expect(errors.first?["event_id"] as? String == "bad-type")
                #expect((errors.first?["message"] as? String)?.contains(#"type "Order!" is not an outcome type name"#) == true)
                #expect(errors[2]["message"] as? String == "unit_id is required")
                #expect((errors[3]["message"] as? String)?.contains("import old events with abctl import") == true)
            }
            #expect(try Self.stored(fixture.connection()) == ["good:u1:order:19.5"])
        }
    }

    @Test("a body that is not {\"events\": [...]} is a 400 naming the field; too many events are a 413 and nothing is stored")
    func badBodies() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.test(configure: { $0.maxEventsPerBatch = 2 }) { client in
                let notAList = try await client.post("/v1/outcomes", #"{"events":{"event_id":"x"}}"#)
                #expect(notAList.status == 400)
                #expect((notAList.body["error"] as? [String: Any])?["field"] as? String == "events")
                let now = isoTime()
                let three = (1...3).map { Self.outcomeJSON(id: "o\($0)", timestamp: now) }.joined(separator: ",")
                let tooMany = try await client.post("/v1/outcomes", #"{"events":[\#(three)]}"#)
                #expect(tooMany.status == 413)
            }
            #expect(try Self.stored(fixture.connection()).isEmpty)
        }
    }

    @Test("with PostgreSQL unreachable outcome events are spooled, then replayed once each, twice over without duplicates")
    func spoolAndReplay() async throws {
        try await ServerFixture.with { fixture in
            let folder = fixture.spoolDirectory.appendingPathComponent("outcomes")
            let time = Date(timeIntervalSince1970: 1_780_000_000.123456)
            let events = [
                OutcomeEvent(eventID: "a", unitID: "u1", type: "order", value: 10, timestamp: time),
                OutcomeEvent(eventID: "b", unitID: "u2", type: "signup", value: nil, timestamp: time),
            ]
            // Nothing listens on port 1: every commit fails to connect.
            let down = OutcomeWriter(
                pool: PostgresConnectionPool(conninfo: "host=127.0.0.1 port=1 dbname=none connect_timeout=2", size: 1),
                spool: try FileSpool<OutcomeEvent>(directory: folder),
                metrics: ServerMetrics(),
                maxInFlight: 100,
                maxSpoolBytes: 1 << 20,
                logger: Logger(label: "test")
            )
            #expect(try await down.store(events) == .spooled)
            #expect(try await down.store([events[0]]) == .spooled)  // a client's retry
            let spool = try FileSpool<OutcomeEvent>(directory: folder)
            #expect(spool.pendingRecords() == events + [events[0]])
            let up = OutcomeWriter(
                pool: PostgresConnectionPool(conninfo: fixture.conninfo, size: 1),
                spool: spool,
                metrics: ServerMetrics(),
                maxInFlight: 100,
                maxSpoolBytes: 1 << 20,
                logger: Logger(label: "test")
            )
            try await SpoolReplayer(writer: up).replayOnce()
            #expect(!spool.hasPending)
            // Replaying the same events again (a crash before the segment was deleted) adds nothing.
            try await spool.append(events)
            try await SpoolReplayer(writer: up).replayOnce()
            let db = try fixture.connection()
            #expect(try Self.stored(db) == ["a:u1:order:10", "b:u2:signup:null"])
            let times = try db.query("SELECT extract(epoch FROM created_at)::text FROM outcome_events").map { try $0.decode(String.self, at: 0) }
            #expect(times == ["1780000000.123456", "1780000000.123456"])
        }
    }
}
