import Foundation
import Hummingbird
import Spec

/// Checks each event of a POST /v1/events batch on its own: the good ones are stored, the
/// bad ones are reported by index with the field at fault.
struct EventBatchValidator: Sendable {
    /// One problem with one event.
    struct Problem: Codable, Sendable, Equatable {
        var index: Int
        var eventID: String?
        var field: String
        var message: String

        enum CodingKeys: String, CodingKey {
            case index, field, message
            case eventID = "event_id"
        }
    }

    /// The outcome: events to store (with their batch index) and problems of the others.
    struct Outcome: Sendable {
        var valid: [IndexedEvent] = []
        var problems: [Problem] = []
        var rejected = 0
    }

    /// Events may be at most this far in the future (clock skew allowance).
    static let maxFuture: TimeInterval = 24 * 3600
    /// Events may be at most this old.
    static let maxPast: TimeInterval = 30 * 24 * 3600
    static let maxIDLength = 256

    let now: Date

    func check(_ events: [LooseJSON]) -> Outcome {
        var outcome = Outcome()
        for (index, raw) in events.enumerated() {
            switch check(raw, index: index) {
            case .success(let event): outcome.valid.append(IndexedEvent(index: index, event: event))
            case .failure(let list):
                outcome.problems += list.problems
                outcome.rejected += 1
            }
        }
        return outcome
    }

    private struct Problems: Error {
        var problems: [Problem]
    }

    private func check(_ raw: LooseJSON, index: Int) -> Result<FeedbackEvent, Problems> {
        guard case .object(let fields) = raw else {
            return .failure(
                Problems(problems: [
                    Problem(index: index, eventID: nil, field: "events[\(index)]", message: "Each event must be an object, not \(raw.typeName)")
                ])
            )
        }
        var problems: [Problem] = []
        var eventIDText: String?
        if case .string(let text)? = fields["event_id"] { eventIDText = text }
        func fail(_ field: String, _ message: String) {
            problems.append(Problem(index: index, eventID: eventIDText, field: field, message: message))
        }
        func identifier(_ field: String) -> String? {
            guard let value = fields[field], !(value.isNull) else {
                fail(field, "\(field) is required")
                return nil
            }
            guard case .string(let text) = value, !text.isEmpty else {
                fail(field, "\(field) must be a non-empty string, not \(value.typeName)")
                return nil
            }
            guard text.utf8.count <= Self.maxIDLength, !UnstorableText.containsNUL(text) else {
                fail(field, "\(field) must be at most \(Self.maxIDLength) bytes of UTF-8 text without NUL characters")
                return nil
            }
            return text
        }
        let eventID = identifier("event_id")
        let requestText = identifier("request_id")
        let requestID = requestText.flatMap { text in
            UUID(uuidString: text)
                ?? {
                    fail("request_id", "request_id must be a UUID such as a decision's request_id, not \"\(text)\"")
                    return nil
                }()
        }
        let unitID = identifier("unit_id")
        let itemID = identifier("item_id")
        let type = eventType(fields["type"], fail: fail)
        let value = number(fields["value"], fail: fail)
        let timestamp = timestamp(fields["timestamp"], fail: fail)
        guard problems.isEmpty, let eventID, let requestID, let unitID, let itemID, let type, let value, let timestamp else {
            return .failure(Problems(problems: problems))
        }
        return .success(
            FeedbackEvent(eventID: eventID, requestID: requestID, unitID: unitID, itemID: itemID, type: type, value: value, timestamp: timestamp)
        )
    }

    private func eventType(_ value: LooseJSON?, fail: (String, String) -> Void) -> FeedbackEventType? {
        let known = FeedbackEventType.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let text)? = value else {
            fail("type", value.map { "type must be a string, not \($0.typeName)" } ?? "type is required (one of \(known))")
            return nil
        }
        guard let type = FeedbackEventType(rawValue: text) else {
            fail("type", "Unknown event type \"\(text)\"; expected one of \(known)")
            return nil
        }
        return type
    }

    private func number(_ value: LooseJSON?, fail: (String, String) -> Void) -> Double? {
        switch value {
        case nil, .null?: return 0
        case .number(let number)? where number.isFinite: return number
        case let other?:
            fail("value", "value must be a finite number, not \(other.typeName)")
            return nil
        }
    }

    private func timestamp(_ value: LooseJSON?, fail: (String, String) -> Void) -> Date? {
        guard case .string(let text)? = value else {
            fail("timestamp", value.map { "timestamp must be an RFC 3339 string, not \($0.typeName)" } ?? "timestamp is required")
            return nil
        }
        let date: Date
        switch RFC3339.parse(text) {
        case .success(let parsed): date = parsed
        case .failure(let problem):
            fail("timestamp", "timestamp \"\(text)\" is not an RFC 3339 date-time such as 2026-03-09T12:00:00Z: \(problem)")
            return nil
        }
        if date.timeIntervalSince(now) > Self.maxFuture {
            fail("timestamp", "timestamp \(text) is more than 24 hours in the future; check the client's clock")
            return nil
        }
        if now.timeIntervalSince(date) > Self.maxPast {
            fail("timestamp", "timestamp \(text) is more than 30 days in the past; import old events with abctl import")
            return nil
        }
        return date
    }

}

extension EventBatchValidator {
    private struct Body: Decodable {
        var events: [LooseJSON]
    }

    /// The events of a POST /v1/events body, unchecked: 413 past `limit` bytes, 400 naming the
    /// field when it is not `{"events": [...]}`. Bytes that are not UTF-8 (and raw NUL bytes)
    /// are read as NUL characters, so only the events holding them are refused, by field.
    static func events(in request: Request, limit: Int) async throws -> [LooseJSON] {
        let buffer = try await request.collectBody(refusingPast: limit)
        do {
            let (body, marker) = try UnstorableText.decode(Body.self, from: Data(buffer.readableBytesView))
            guard let marker else { return body.events }
            return body.events.map { $0.restoring(marker) }
        } catch {
            throw APIError.badJSON(error, body: buffer.readableBytesView)
        }
    }
}

extension LooseJSON {
    /// This value with `marker` turned into NUL in every string and key.
    func restoring(_ marker: Character) -> LooseJSON {
        switch self {
        case .null, .number, .bool: self
        case .string(let text): .string(UnstorableText.restoring(text, marker))
        case .array(let list): .array(list.map { $0.restoring(marker) })
        case .object(let fields):
            .object(
                Dictionary(
                    fields.map { (UnstorableText.restoring($0.key, marker), $0.value.restoring(marker)) },
                    uniquingKeysWith: { first, _ in first }
                )
            )
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
