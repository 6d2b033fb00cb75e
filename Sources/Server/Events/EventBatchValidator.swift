import Foundation
import Hummingbird
import Spec

/// Checks each event of a POST /v1/events or /v1/outcomes batch on its own: the good ones are stored, the
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
    struct Outcome<Event: Sendable>: Sendable {
        var valid: [Indexed<Event>] = []
        var problems: [Problem] = []
        var rejected = 0
    }

    /// Events may be at most this far in the future (clock skew allowance).
    static let maxFuture: TimeInterval = 24 * 3600
    /// Events may be at most this old.
    static let maxPast: TimeInterval = 30 * 24 * 3600
    static let maxIDLength = 256

    let now: Date

    /// Checks feedback events (POST /v1/events).
    func check(_ events: [LooseJSON]) -> Outcome<FeedbackEvent> {
        check(events, reading: Self.feedback)
    }

    /// Checks outcome events (POST /v1/outcomes).
    func checkOutcomes(_ events: [LooseJSON]) -> Outcome<OutcomeEvent> {
        check(events, reading: Self.outcome)
    }

    /// Checks each event with `read`, which returns the event or notes its problems.
    func check<Event: Sendable>(_ events: [LooseJSON], reading read: (inout EventFields) -> Event?) -> Outcome<Event> {
        var outcome = Outcome<Event>()
        for (index, raw) in events.enumerated() {
            guard case .object(let object) = raw else {
                outcome.problems.append(
                    Problem(index: index, eventID: nil, field: "events[\(index)]", message: "Each event must be an object, not \(raw.typeName)")
                )
                outcome.rejected += 1
                continue
            }
            var fields = EventFields(fields: object, index: index, now: now)
            let event = read(&fields)
            if fields.problems.isEmpty, let event {
                outcome.valid.append(Indexed(index: index, event: event))
            } else {
                outcome.problems += fields.problems
                outcome.rejected += 1
            }
        }
        return outcome
    }

    private static func feedback(_ fields: inout EventFields) -> FeedbackEvent? {
        let eventID = fields.identifier("event_id")
        let requestText = fields.identifier("request_id")
        var requestID: UUID?
        if let requestText {
            requestID = UUID(uuidString: requestText)
            if requestID == nil {
                fields.fail("request_id", "request_id must be a UUID such as a decision's request_id, not \"\(requestText)\"")
            }
        }
        let unitID = fields.identifier("unit_id")
        let itemID = fields.identifier("item_id")
        let type = eventType(&fields)
        let value = fields.optionalValue()
        let timestamp = fields.timestamp()
        guard let eventID, let requestID, let unitID, let itemID, let type, let value, let timestamp else { return nil }
        return FeedbackEvent(
            eventID: eventID,
            requestID: requestID,
            unitID: unitID,
            itemID: itemID,
            type: type,
            value: value ?? 0,
            timestamp: timestamp
        )
    }

    private static func eventType(_ fields: inout EventFields) -> FeedbackEventType? {
        let known = FeedbackEventType.allCases.map(\.rawValue).joined(separator: ", ")
        let value = fields.fields["type"]
        guard case .string(let text)? = value else {
            fields.fail("type", value.map { "type must be a string, not \($0.typeName)" } ?? "type is required (one of \(known))")
            return nil
        }
        guard let type = FeedbackEventType(rawValue: text) else {
            fields.fail("type", "Unknown event type \"\(text)\"; expected one of \(known)")
            return nil
        }
        return type
    }

    private static func outcome(_ fields: inout EventFields) -> OutcomeEvent? {
        let eventID = fields.identifier("event_id")
        let unitID = fields.identifier("unit_id")
        var type = fields.identifier("type")
        if let name = type, !OutcomeEventName.isValid(name) {
            fields.fail("type", "type \"\(name)\" is not an outcome type name: \(OutcomeEventName.rule)")
            type = nil
        }
        let value = fields.optionalValue()
        let timestamp = fields.timestamp()
        guard let eventID, let unitID, let type, let value, let timestamp else { return nil }
        return OutcomeEvent(eventID: eventID, unitID: unitID, type: type, value: value, timestamp: timestamp)
    }
}

/// A checked event with its position in the posted batch (for error reports).
struct Indexed<Event: Sendable>: Sendable {
    var index: Int
    var event: Event
}

/// A checked feedback event with its position in the posted batch.
typealias IndexedEvent = Indexed<FeedbackEvent>

extension EventBatchValidator {
    private struct Body: Decodable {
        var events: [LooseJSON]
    }

    /// The events of a POST /v1/events or /v1/outcomes body, unchecked: 413 past `limit`
    /// bytes or `maxEvents` events, 400 naming the field when it is not `{"events": [...]}`.
    /// Bytes that are not UTF-8 (and raw NUL bytes) are read as NUL characters, so only the
    /// events holding them are refused, by field.
    static func events(in request: Request, limit: Int, maxEvents: Int) async throws -> [LooseJSON] {
        let events = try await events(in: request, limit: limit)
        guard events.count <= maxEvents else {
            throw APIError(
                .contentTooLarge,
                "A batch holds at most \(maxEvents) events; this one has \(events.count). Split it",
                field: "events"
            )
        }
        return events
    }

    private static func events(in request: Request, limit: Int) async throws -> [LooseJSON] {
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
