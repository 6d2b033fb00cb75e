import Foundation
import NIOCore
import Spec
import Testing

@testable import Server

/// The decision's wire format without Foundation on the hot path: the byte parser reads what
/// Foundation's JSONDecoder (the reference) reads and leaves everything doubtful to it, and the
/// hand-written answer is JSON that Foundation's JSONSerialization reads back to the same values.
@Suite("Decision wire format")
struct DecisionWireTests {
    static func decoded(_ body: String) throws -> DecisionRequest {
        try JSONDecoder().decode(DecisionRequest.self, from: Data(body.utf8))
    }

    static func parsed(_ body: String) -> DecisionRequest? {
        DecisionRequestParser.parse(ByteBuffer(string: body))
    }

    static func expectSame(_ parsed: DecisionRequest, _ expected: DecisionRequest) {
        #expect(parsed.experiment == expected.experiment)
        #expect(parsed.unitID == expected.unitID)
        #expect(parsed.context == expected.context)
        #expect(parsed.k == expected.k)
        #expect(parsed.exclude == expected.exclude)
    }

    @Test(
        "the byte parser reads what JSONDecoder reads",
        arguments: [
            #"{"experiment":"e","unit_id":"u1"}"#,
            #"{"experiment":"bench-popularity","unit_id":"u42","context":{"country":"DE"},"k":10}"#,
            " {\n \"unit_id\" : \"ü-ñ-😀\" ,\t\"experiment\":\"e\", \"k\": -3, \"exclude\": [\"a\", \"b\"],"
                + " \"context\": {\"n\": 1.5e3, \"b\": true, \"f\": false, \"z\": -0.25, \"s\": \"x\", \"i\": 7}}\r\n",
            #"{"experiment":"e","unit_id":"u","context":null,"k":null,"exclude":null}"#,
            #"{"experiment":"e","unit_id":"u","extra":{"a":[1,2.5,{"b":null}],"c":"d"},"more":[true,false,null,"x",-0,1E+2],"n":{}}"#,
            #"{"experiment":"e","unit_id":"u","context":{},"exclude":[],"k":1000}"#,
        ]
    )
    func agreesWithJSONDecoder(body: String) throws {
        let parsed = try #require(Self.parsed(body))
        Self.expectSame(parsed, try Self.decoded(body))
    }

    @Test(
        "the byte parser leaves to JSONDecoder what it is not sure of, and reading still gives JSONDecoder's answer",
        arguments: [
            #"{"experiment":"e\"x","unit_id":"u\u00e9"}"#,  // escapes
            #"{"experiment":"e","unit_id":"u","k":2.0}"#,  // k with a fraction
            #"{"experiment":"e","unit_id":"u","k":1e1}"#,  // k with an exponent
            #"{"experiment":"e","unit_id":"u","other":"é"}"#,  // non-ASCII in a skipped value
            #"{"experiment":"e","unit_id":"u","other":"a\"b"}"#,  // escape in a skipped value
        ]
    )
    func fallsBackOnValidBodies(body: String) throws {
        #expect(Self.parsed(body) == nil)
        Self.expectSame(try DecisionRequest.read(from: ByteBuffer(string: body)), try Self.decoded(body))
    }

    @Test(
        "a malformed body is left to JSONDecoder, whose error names the field",
        arguments: [
            (#"{"experiment":"e","experiment":"f","unit_id":"u"}"#, nil),  // duplicate field: not guessed
            (#"{"experiment":"e","unit_id":"u","context":{"a":null}}"#, "context.a"),
            // JSONDecoder names no field for these; JSONFaultLocator or the Double read of k does.
            (#"{"experiment":"e","unit_id":"u","k":12345678901234567890}"#, "k"),
            (#"{"experiment":"e","unit_id":"u","k":5.5}"#, "k"),
            (#"{"experiment":"e","unit_id":"u","k":1e308}"#, "k"),
            (#"{"experiment":"e","unit_id":"u","k":1e400}"#, "k"),
            (#"{"experiment":"e","unit_id":"\ud800"}"#, "unit_id"),
            (#"{"experiment":"e","unit_id":"u","context":{"a":"x\udc00"}}"#, "context.a"),
            (#"{"experiment":"e","unit_id":"u","exclude":["a","\ud83d\u0041"]}"#, "exclude[1]"),
            (#"{"experiment":"e","unit_id":"u","context":{"a":1e999}}"#, "context.a"),
            (#"{"experiment":"e","unit_id":"u","exclude":["a" "b"]}"#, "exclude"),
            (#"{"experiment":"e","unit_id":"u"} x"#, nil),
            (#"{"experiment":"e","unit_id":"u",}"#, nil),
            (#"{"experiment":"e"}"#, "unit_id"),
            (#"{"experiment":"e","unit_id":"u","k":01}"#, "k"),
            (#"{"experiment":"e","unit_id":"u","k":"3"}"#, "k"),
            (#"{"experiment":"e","unit_id":"u","exclude":[1]}"#, "exclude[0]"),
            (#"{"experiment":"e","unit_id":"u","context":{"tags":["x"]}}"#, "context.tags"),
            ("[1]", nil),
            ("", nil),
        ] as [(String, String?)]
    )
    func malformed(body: String, field: String?) throws {
        #expect(Self.parsed(body) == nil)
        do {
            let request = try DecisionRequest.read(from: ByteBuffer(string: body))
            // Only a duplicate field may read (JSONDecoder's choice); the parser never guesses it.
            #expect(field == nil && request.unitID == "u")
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            if let field { #expect(error.field == field) }
        }
    }

    @Test("invalid UTF-8 in a string is left to JSONDecoder")
    func invalidUTF8() {
        var body = ByteBuffer(string: #"{"experiment":"e","unit_id":""#)
        body.writeBytes([0xFF, 0xFE])
        body.writeString(#""}"#)
        #expect(DecisionRequestParser.parse(body) == nil)
        #expect(throws: APIError.self) { try DecisionRequest.read(from: body) }
    }
}
