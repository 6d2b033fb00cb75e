import Foundation
import NIOCore
import Testing

@testable import Server

/// The hand-written decision answer is JSON that Foundation's readers (the reference) read
/// back to exactly the values written: JSONSerialization for the shape and strings,
/// JSONDecoder for numbers (Linux's JSONSerialization rounds some 17-digit doubles).
@Suite("Decision answer JSON")
struct DecisionAnswerJSONTests {
    static func object(_ response: DecisionResponse) throws -> [String: Any] {
        let buffer = response.json()
        #expect(buffer.readableBytes <= response.jsonBound)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test("strings with quotes, backslashes, control characters and non-ASCII read back unchanged")
    func strings() throws {
        let awkward = "a\"b\\c\nd\re\tf\u{01}g\u{1F}h é 😀 \u{7F}"
        let response = DecisionResponse(
            requestID: "6b3f1f5e-0b1a-4c39-9d55-5d0b7c9a1b11",
            experiment: awkward,
            version: 3,
            arm: "arm \"x\"",
            items: [.init(itemID: awkward, score: 1, position: 1, team: "t\\1")],
            propensity: 0.5,
            allocationVersion: 9_007_199_254_740_993,
            reason: "not_targeted\u{0}"
        )
        let object = try Self.object(response)
        #expect(object["experiment"] as? String == awkward)
        #expect(object["arm"] as? String == "arm \"x\"")
        #expect(object["reason"] as? String == "not_targeted\u{0}")
        #expect(object["request_id"] as? String == "6b3f1f5e-0b1a-4c39-9d55-5d0b7c9a1b11")
        #expect(object["version"] as? Int == 3)
        // 2^53 + 1 is not a Double: read as an integer it proves the digits were written exactly.
        #expect((object["allocation_version"] as? NSNumber)?.int64Value == 9_007_199_254_740_993)
        let item = try #require((object["items"] as? [[String: Any]])?.first)
        #expect(item["item_id"] as? String == awkward)
        #expect(item["team"] as? String == "t\\1")
    }

    @Test(
        "numbers read back to the same Double; a non-finite score is null",
        arguments: [0.1, 1e-7, 1e300, -0.0, 42, -17.25, 0.0019230769230769232, Double.leastNonzeroMagnitude, Double.nan, Double.infinity]
    )
    func numbers(score: Double) throws {
        let response = DecisionResponse(
            requestID: "r",
            experiment: "e",
            version: 1,
            arm: "a",
            items: [.init(itemID: "i", score: score, position: 12), .init(itemID: "j", score: 0, position: 13)],
            propensity: 1,
            allocationVersion: -5,
            reason: nil
        )
        let object = try Self.object(response)
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.count == 2)
        if score.isFinite {
            let decoded = try JSONDecoder().decode(DecisionResponse.self, from: Data(response.json().readableBytesView))
            #expect(decoded.items.first?.score.bitPattern == score.bitPattern)
        } else {
            #expect(items[0]["score"] is NSNull)
        }
        #expect(items[0]["position"] as? Int == 12)
        #expect(items[1]["position"] as? Int == 13)
        #expect(items[0]["team"] == nil)
        #expect(object["reason"] == nil)
        #expect(object["allocation_version"] as? Int == -5)
        #expect(object["propensity"] as? Double == 1)
    }

    @Test("an answer without items is an empty list")
    func noItems() throws {
        let response = DecisionResponse(
            requestID: "r",
            experiment: "e",
            version: 1,
            arm: "a",
            items: [],
            propensity: 0.25,
            allocationVersion: 0,
            reason: "excluded"
        )
        let object = try Self.object(response)
        #expect((object["items"] as? [Any])?.isEmpty == true)
        #expect(object["propensity"] as? Double == 0.25)
        #expect(object["reason"] as? String == "excluded")
    }
}
