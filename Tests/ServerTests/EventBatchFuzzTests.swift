import Foundation
import Stats
import Testing

@testable import Server

/// Seeded fuzzing of POST /v1/events bodies, from the bytes to the spool: batches with odd
/// text (escapes, NUL, noncharacters, line separators), odd numbers and odd timestamps, then
/// mutated byte by byte (invalid UTF-8 included). Whatever arrives, the body is refused
/// whole or each event is accepted or rejected on its own; an accepted event holds only
/// text PostgreSQL can store and a time inside the window; and the spool gives back every
/// accepted event exactly, since its fields are the dedup key.
@Suite struct EventBatchFuzzTests {
    struct Body: Decodable {
        var events: [LooseJSON]
    }

    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func whateverArrivesWhatIsAcceptedIsStorableAndSurvivesTheSpool() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SplitMix64(seed: 18)
        var accepted: [FeedbackEvent] = []
        var (bodies, refusedBodies, rejectedEvents) = (0, 0, 0)
        for _ in 0..<3000 {
            var bytes = Array(Self.batch(&generator).utf8)
            // Half the bodies as sent, half with one to three bytes changed.
            if Bool.random(using: &generator) {
                for _ in 0..<Int.random(in: 1...3, using: &generator) { Self.mutate(&bytes, &generator) }
            }
            bodies += 1
            guard let (body, marker) = try? UnstorableText.decode(Body.self, from: Data(bytes)) else {
                refusedBodies += 1
                continue
            }
            let events = marker.map { marker in body.events.map { $0.restoring(marker) } } ?? body.events
            let outcome = EventBatchValidator(now: Self.now).check(events)
            #expect(outcome.valid.count + outcome.rejected == events.count)
            #expect(Set(outcome.problems.map(\.index)).count == outcome.rejected)
            rejectedEvents += outcome.rejected
            for event in outcome.valid.map(\.event) {
                for text in [event.eventID, event.unitID, event.itemID] {
                    #expect(
                        !text.isEmpty && text.utf8.count <= EventBatchValidator.maxIDLength && !UnstorableText.containsNUL(text),
                        "\(text.debugDescription)"
                    )
                }
                #expect(event.value.isFinite)
                #expect(event.timestamp.timeIntervalSince(Self.now) <= EventBatchValidator.maxFuture)
                #expect(Self.now.timeIntervalSince(event.timestamp) <= EventBatchValidator.maxPast)
            }
            accepted += outcome.valid.map(\.event)
        }
        let spool = try Spool(directory: folder)
        try spool.append(accepted)
        let contents = try spool.sealAndListSegments().map(Spool.read)
        #expect(contents.allSatisfy { $0.unreadable.isEmpty })
        #expect(contents.flatMap(\.records) == accepted, "every accepted event comes back from the spool exactly")
        // The fuzzing reached every outcome, not only one.
        #expect(
            accepted.count > 1000 && refusedBodies > 200 && rejectedEvents > 1000,
            "\(accepted.count) \(refusedBodies) \(rejectedEvents) of \(bodies)"
        )
    }

    /// A batch of one to five events, each field good nine times in ten, odd or bad otherwise.
    static func batch(_ generator: inout SplitMix64) -> String {
        func pick<T>(_ values: [T]) -> T { values.randomElement(using: &generator)! }
        func pick<T>(_ good: [T], else bad: [T]) -> T { Int.random(in: 0..<10, using: &generator) == 0 ? pick(bad) : pick(good) }
        func text() -> String {
            let good = [
                "e", "é", "日本", "🙂", "line\\u2028separator", "tab\\tand\\\"quote\\\"", String(Unicode.Scalar(0xFDD0)!), "\\ufdd1",
                "\\ud83d\\ude42", String(repeating: "x", count: 253),
            ]
            let suffix = "-\(Int.random(in: 0...99, using: &generator))"
            return pick(good.map { $0 + suffix }, else: ["\\u0000", "nul\\u0000inside", String(repeating: "y", count: 257), ""])
        }
        func uuid() -> String {
            "6b3f1f5e-0b1a-4c39-9d55-" + String(format: "%012llx", UInt64.random(in: 0...0xFFFF_FFFF_FFFF, using: &generator))
        }
        func timestamp() -> String {
            let offsets = [0, 3600, -19_800, 45_900]
            let style = Date.ISO8601FormatStyle(includingFractionalSeconds: pick([true, false]), timeZone: TimeZone(secondsFromGMT: pick(offsets))!)
            let time = now.addingTimeInterval(
                Double(Int.random(in: -35 * 86_400...2 * 86_400, using: &generator)) + Double.random(in: 0..<1, using: &generator)
            )
            return pick([time.formatted(style)], else: ["2026-02-30T00:00:00Z", "2026-06-01T12:00:00", "2026-06-01T12:00:00Zjunk", "soon"])
        }
        let events = (0..<Int.random(in: 1...5, using: &generator)).map { _ -> String in
            var fields = [
                "\"event_id\":\"\(text())\"",
                "\"request_id\":\"\(pick([uuid(), uuid().uppercased()], else: ["not-a-uuid"]))\"",
                "\"unit_id\":\"\(text())\"", "\"item_id\":\"\(text())\"",
                "\"type\":\"\(pick(["view", "click", "add_to_cart", "purchase"], else: ["like"]))\"",
                "\"value\":\(pick(["1", "0", "-0.0", "2.5e3", "1e308", "null"], else: ["1e309", "\"9\"", "true"]))",
                "\"timestamp\":\"\(timestamp())\"",
            ]
            if Int.random(in: 0..<20, using: &generator) == 0 { fields.remove(at: Int.random(in: 0..<fields.count, using: &generator)) }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return #"{"events":["# + events.joined(separator: ",") + "]}"
    }

    /// Replaces, inserts or deletes one byte, favouring bytes that matter to JSON and UTF-8.
    static func mutate(_ bytes: inout [UInt8], _ generator: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let interesting: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x2C, 0x3A, 0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0x30, 0x2D, 0x54, 0x5A]
        let byte = Bool.random(using: &generator) ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
        let index = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0...2, using: &generator) {
        case 0: bytes[index] = byte
        case 1: bytes.insert(byte, at: index)
        default: bytes.remove(at: index)
        }
    }
}
