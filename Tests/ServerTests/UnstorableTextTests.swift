import Foundation
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import Server

/// Text PostgreSQL cannot store (a NUL character, bytes that are not UTF-8) is refused at the
/// door, naming the field, and nothing is written: a 400 for a decision, a per-event rejection
/// for an event.
@Suite("Unstorable text at the door")
struct UnstorableTextTests {
    /// Ways a client can send text PostgreSQL refuses.
    enum Bad: String, CaseIterable, Sendable {
        /// The JSON escape \u0000: valid JSON, a NUL character PostgreSQL text cannot hold.
        case nulEscape
        /// A raw 0x00 byte inside the string.
        case rawNUL
        /// 0xFF, never part of UTF-8.
        case invalidByte
        /// 0xC3, the first byte of a two-byte sequence, cut short by the closing quote.
        case truncatedSequence

        var bytes: [UInt8] {
            switch self {
            case .nulEscape: Array(#"\u0000"#.utf8)
            case .rawNUL: [0x00]
            case .invalidByte: [0xFF]
            case .truncatedSequence: [0xC3]
            }
        }
    }

    /// `template` with `@` replaced by `bad`'s bytes.
    static func body(_ template: String, _ bad: Bad) -> [UInt8] {
        var out: [UInt8] = []
        for byte in template.utf8 {
            if byte == UInt8(ascii: "@") { out += bad.bytes } else { out.append(byte) }
        }
        return out
    }

    /// Decision bodies with a bad character in one field, and the field the 400 must name.
    static let decisionCases: [(template: String, field: String)] = [
        (#"{"experiment":"poison-@test","unit_id":"u"}"#, "experiment"),
        (#"{"experiment":"poison-test","unit_id":"u@1"}"#, "unit_id"),
        (#"{"experiment":"poison-test","unit_id":"u","context":{"city":"Ber@lin"}}"#, "context.city"),
        (#"{"experiment":"poison-test","unit_id":"u","context":{"ci@ty":"Berlin"}}"#, "context"),
        (#"{"experiment":"poison-test","unit_id":"u","exclude":["a","b@"]}"#, "exclude[1]"),
    ]

    static var decisionArguments: [(String, String, Bad)] {
        decisionCases.flatMap { item in Bad.allCases.map { (item.template, item.field, $0) } }
    }

    @Test("a decision with unstorable text in any field, sent any of four ways, gets 400 naming the field; no impression is written")
    func decisionRefused() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(ImpressionWriterTests.spec)
            let cases = Self.decisionArguments
            let answers = try await fixture.test { client in
                var answers: [RawAnswer] = []
                for (template, _, bad) in cases { answers.append(try await client.postBytes("/v1/decisions", Self.body(template, bad))) }
                // A good decision after them, so the writer has had its chance to store anything.
                let good = try await client.requestID(experiment: "poison-test", unit: "good")
                let stored = try await ServerFixture.eventually { try ImpressionWriterTests.stored(fixture)[good] == 1 }
                #expect(stored)
                return answers
            }
            for ((template, field, bad), answer) in zip(cases, answers) {
                #expect(answer.status == 400, "\(bad) in \(template)")
                #expect(answer.field == field, "\(bad) in \(template): \(answer.message)")
                #expect(answer.message.contains("NUL"), "\(bad) in \(template): \(answer.message)")
            }
            #expect(try ImpressionWriterTests.stored(fixture).count == 1)
        }
    }

    @Test(
        "the byte parser and the JSONDecoder path agree: the parser leaves these bodies to JSONDecoder, whose check names the same field",
        arguments: decisionArguments
    )
    func parsersAgree(template: String, field: String, bad: Bad) throws {
        let body = Self.body(template, bad)
        #expect(DecisionRequestParser.parse(ByteBuffer(bytes: body)) == nil)
        let error = #expect(throws: APIError.self) { try DecisionRequest.read(from: ByteBuffer(bytes: body)) }
        #expect(error?.field == field)
    }

    @Test("a clean body reads the same through the byte parser and through JSONDecoder")
    func cleanBodiesAgree() throws {
        let body = Array(#"{"experiment":"poison-test","unit_id":"ü-1","context":{"city":"Zürich","n":2},"exclude":["a"],"k":4}"#.utf8)
        let fast = try #require(DecisionRequestParser.parse(ByteBuffer(bytes: body)))
        let slow = try DecisionRequest.decode(Data(body))
        #expect(fast.experiment == slow.experiment && fast.unitID == slow.unitID && fast.exclude == slow.exclude && fast.k == slow.k)
        #expect(fast.context == slow.context)
        try fast.validate()
    }

    @Test("a body with a bad byte outside any string is refused as not JSON, naming the field whose value it stands in")
    func notJSONAtAll() throws {
        // (In the value of an unknown field JSONDecoder does not look at the bytes; nothing of it is stored.)
        let body = Self.body(#"{"experiment":@"poison-test","unit_id":"u"}"#, .invalidByte)
        let error = #expect(throws: APIError.self) { try DecisionRequest.read(from: ByteBuffer(bytes: body)) }
        #expect(error?.status == .badRequest)
        #expect(error?.field == "experiment")
        #expect(error?.message.contains("a character that cannot start a JSON value at byte 14") == true)
    }

    @Test("a request made in process (abctl decide, simulations) with a NUL is refused, naming the field, and nothing is written")
    func inProcessRequest() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(ImpressionWriterTests.spec)
            let core = try await DecisionCore(configuration: fixture.configuration, logger: Logger(label: "test"))
            let request = DecisionRequest(experiment: "poison-test", unitID: "u", context: ["city": .text("a\u{0}b")])
            let error = await #expect(throws: APIError.self) { try await core.decide(request) }
            #expect(error?.field == "context.city")
            try await core.flushImpressions()
            #expect(try ImpressionWriterTests.stored(fixture).isEmpty)
        }
    }

    /// Event fields and the text each must name; `@` is the bad character.
    static let eventFields = ["event_id", "request_id", "unit_id", "item_id", "type", "timestamp"]

    @Test("events with unstorable text in one field are rejected one by one, naming the field; the good event is stored", arguments: Bad.allCases)
    func eventsRejected(bad: Bad) async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(ImpressionWriterTests.spec)
            let receipt = try await fixture.test { client in
                let request = try await client.requestID(experiment: "poison-test", unit: "u1")
                let time = isoTime(-5)
                var events = [eventJSON(id: "good", request: request, timestamp: time)]
                for field in Self.eventFields {
                    // The field's good value with the bad character spliced in after its first character.
                    var fields: [String: String] = [
                        "event_id": "bad-\(field)", "request_id": request, "unit_id": "u1", "item_id": "i1", "type": "click", "timestamp": time,
                    ]
                    let value = fields[field] ?? ""
                    fields[field] = String(value.prefix(1)) + "@" + String(value.dropFirst())
                    let object = fields.sorted { $0.key < $1.key }.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",")
                    events.append("{\(object)}")
                }
                let answer = try await client.postBytes("/v1/events", Self.body(#"{"events":[\#(events.joined(separator: ","))]}"#, bad))
                #expect(answer.status == 202)
                return answer
            }
            #expect(receipt.json["accepted"] as? Int == 1)
            #expect(receipt.json["rejected"] as? Int == Self.eventFields.count)
            let problems = receipt.json["errors"] as? [[String: Any]] ?? []
            #expect(problems.map { $0["field"] as? String } == Self.eventFields.map { $0 as String? })
            #expect(problems.map { $0["index"] as? Int } == (1...Self.eventFields.count).map { $0 as Int? })
            let rows = try fixture.connection().query("SELECT event_id FROM feedback")
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == ["good"])
        }
    }
}

/// An answer read for these tests.
struct RawAnswer: @unchecked Sendable {
    var status: Int
    /// The JSON body (read-only after the answer is made).
    var json: [String: Any]
    var field: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var message: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
}

extension TestClientProtocol {
    /// POSTs raw bytes (which need not be UTF-8) as a JSON body.
    func postBytes(_ uri: String, _ bytes: [UInt8]) async throws -> RawAnswer {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: bytes)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return RawAnswer(status: response.status.code, json: object)
        }
    }
}
