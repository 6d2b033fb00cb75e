import Foundation
import Stats
import Testing

/// Seeded fuzzing of POST /v1/decisions through the real server: requests whose every field
/// is good nine times in ten and odd or bad otherwise (NUL, lone surrogates, numbers past a
/// double, wrong types, unknown experiments), half of them then mutated byte by byte. Whatever
/// arrives, the answer is a 200 with a list, a 400 naming a field the body holds (or none, for
/// a body that is not JSON at all), or a 404 for an experiment that does not exist; never a
/// 5xx. Exactly the 200s are stored, each once.
@Suite struct DecisionFuzzTests {
    static let spec = """
        name: fuzz
        status: running
        arms:
          - {key: control, strategy: popularity, control: true, weight: 0.5}
          - {key: treatment, strategy: popularity, weight: 0.5}
        metrics: {primary: ctr}
        """

    static let topLevelFields: Set<String> = ["experiment", "unit_id", "context", "k", "exclude"]

    @Test("2,000 seeded decision bodies: 200, 400 naming a field it holds, or 404; never 5xx; exactly the 200s are stored")
    func whateverArrivesTheAnswerIsSoundAndOnlyAnswersAreStored() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec)
            let (answered, counts) = try await fixture.test { client in
                var generator = SplitMix64(seed: 22)
                var answered: [String] = []
                var counts: [Int: Int] = [:]
                for round in 0..<2000 {
                    let (text, k) = Self.body(&generator)
                    var bytes = Array(text.utf8)
                    let mutated = Bool.random(using: &generator)
                    if mutated {
                        for _ in 0..<Int.random(in: 1...3, using: &generator) { EventBatchFuzzTests.mutate(&bytes, &generator) }
                    }
                    let answer = try await client.postBytes("/v1/decisions", bytes)
                    counts[answer.status, default: 0] += 1
                    let context = "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription) → \(answer.status) \(answer.json)"
                    switch answer.status {
                    case 200:
                        let items = answer.json["items"] as? [[String: Any]] ?? []
                        #expect(mutated || items.count == k, "\(context)")
                        #expect((answer.json["propensity"] as? Double).map { $0 > 0 && $0 <= 1 } == true, "\(context)")
                        if let id = answer.json["request_id"] as? String { answered.append(id) }
                    case 400:
                        #expect(!answer.message.isEmpty, "\(context)")
                        if let field = answer.field, !bytes.contains(UInt8(ascii: "\\")) {
                            // The field's first key is a field of the API (a required one may be
                            // missing) or one the body holds, quoted (U+FFFD where its bytes are
                            // not UTF-8).
                            let first = String(field.prefix { $0 != "." && $0 != "[" })
                            #expect(
                                Self.topLevelFields.contains(first) || bytes.contains(Array("\"\(first)\"".utf8)) || first.contains("\u{FFFD}"),
                                "field \(field.debugDescription) in \(context)"
                            )
                        }
                    case 404:
                        #expect(answer.message.contains("experiment"), "\(context)")
                    default:
                        Issue.record("unexpected status: \(context)")
                    }
                }
                return (answered, counts)
            }
            // Each outcome was reached, not only one.
            #expect((counts[200] ?? 0) > 400 && (counts[400] ?? 0) > 400 && (counts[404] ?? 0) > 20, "\(counts)")
            let expected = Dictionary(uniqueKeysWithValues: answered.map { ($0, 1) })
            let stored = try await ServerFixture.eventually(seconds: 30) { try ServerFixture.impressionCounts(on: fixture.connection()) == expected }
            #expect(stored, "\(counts)")
            #expect(try ServerFixture.impressionCounts(on: fixture.connection()) == expected)
        }
    }

    /// A decision body and how many items a good answer lists; each field good nine times in ten.
    static func body(_ generator: inout SplitMix64) -> (String, Int) {
        func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &generator)] }
        func pick<T>(_ good: [T], else bad: [T]) -> T { Int.random(in: 0..<10, using: &generator) == 0 ? pick(bad) : pick(good) }
        let experiment = pick([#""fuzz""#], else: [#""""#, #""nope""#, #""fu\u0000zz""#, "5", "null", #""fuzz\ud800""#])
        let unit =
            pick(
                [#""u"#, #""é"#, #""日本"#, #""🙂"#, #""\ud83d\ude42"#, #""line\u2028"#],
                else: [#""\u0000"#, #""\udc00"#, #""\ud800x"#, "\"" + String(repeating: "y", count: 257)]
            ) + "-\(Int.random(in: 0...99, using: &generator))\""
        let context = pick(
            [#"{}"#, #"{"city":"Berlin","n":2,"flag":true}"#, #"{"device":"mobile"}"#],
            else: [#"{"a":null}"#, #"{"tags":["x"]}"#, #""str""#, #"{"n":1e400}"#, #"{"c":"\ud800"}"#]
        )
        let (kText, k) = pick(
            [("1", 1), ("3", 3), ("10", 10), ("", 10)],
            else: [("0", 0), ("5.5", 0), ("1e19", 0), ("1e400", 0), ("\"3\"", 0), ("-1", 0), ("1001", 0)]
        )
        let exclude = pick([#"[]"#, #"["a"]"#, #"["zz","b"]"#], else: [#"[1]"#, #""a""#, #"["\u0000"]"#, #"["\udfff"]"#])
        var fields = [#""experiment":\#(experiment)"#, #""unit_id":\#(unit)"#, #""context":\#(context)"#, #""exclude":\#(exclude)"#]
        if !kText.isEmpty { fields.append(#""k":\#(kText)"#) }
        // Four items (a, b, c, d); each good exclusion list removes one of them ("zz" is none).
        let available = exclude == "[]" ? 4 : 3
        return ("{" + fields.joined(separator: ",") + "}", min(k, available))
    }
}
