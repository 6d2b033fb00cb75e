import Foundation
import Spec

/// The fields of one posted event (feedback or outcome), read one at a time: each reader
/// returns the field's value, or nil after noting a problem that names the field.
struct EventFields {
    let fields: [String: LooseJSON]
    let index: Int
    let now: Date
    /// The event's id as sent, when it is a string (problems quote it).
    let eventIDText: String?
    private(set) var problems: [EventBatchValidator.Problem] = []

    init(fields: [String: LooseJSON], index: Int, now: Date) {
        self.fields = fields
        self.index = index
        self.now = now
        if case .string(let text)? = fields["event_id"] { eventIDText = text } else { eventIDText = nil }
    }

    mutating func fail(_ field: String, _ message: String) {
        problems.append(EventBatchValidator.Problem(index: index, eventID: eventIDText, field: field, message: message))
    }

    /// A required non-empty string of at most `maxIDLength` bytes without NUL.
    mutating func identifier(_ field: String) -> String? {
        guard let value = fields[field], !(value.isNull) else {
            fail(field, "\(field) is required")
            return nil
        }
        guard case .string(let text) = value, !text.isEmpty else {
            fail(field, "\(field) must be a non-empty string, not \(value.typeName)")
            return nil
        }
        guard text.utf8.count <= EventBatchValidator.maxIDLength, !UnstorableText.containsNUL(text) else {
            fail(field, "\(field) must be at most \(EventBatchValidator.maxIDLength) bytes of UTF-8 text without NUL characters")
            return nil
        }
        return text
    }

    /// `value`: a finite number; `.some(nil)` when absent or null, nil after a problem.
    mutating func optionalValue() -> Double?? {
        switch fields["value"] {
        case nil, .null?: return .some(nil)
        case .number(let number)? where number.isFinite: return .some(number)
        case let other?:
            fail("value", "value must be a finite number, not \(other.typeName)")
            return nil
        }
    }

    /// `timestamp`: an RFC 3339 time at most a day ahead of `now` and 30 days behind it.
    mutating func timestamp() -> Date? {
        let value = fields["timestamp"]
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
        if date.timeIntervalSince(now) > EventBatchValidator.maxFuture {
            fail("timestamp", "timestamp \(text) is more than 24 hours in the future; check the client's clock")
            return nil
        }
        if now.timeIntervalSince(date) > EventBatchValidator.maxPast {
            fail("timestamp", "timestamp \(text) is more than 30 days in the past; import old events with abctl import")
            return nil
        }
        return date
    }
}
