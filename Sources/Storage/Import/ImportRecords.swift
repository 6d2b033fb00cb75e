import Foundation
import PostgresClient
import Spec

/// A catalogue item as imported: id, title, free text and attributes.
public struct ImportedItem: Sendable, Equatable {
    public var itemID: String
    public var title: String
    public var body: String
    /// The attributes as a JSON object (stored as jsonb): CSV columns as strings, JSON
    /// Lines values with their JSON types.
    public var attributesJSON: String
}

/// One training interaction as imported.
public struct ImportedInteraction: Sendable, Equatable {
    public var unitID: String
    public var itemID: String
    public var eventType: String
    public var value: Double
    public var occurredAt: Date
    public var sessionID: String?
}

/// One outcome event as imported: the fields of POST /v1/outcomes.
public struct ImportedOutcome: Sendable, Equatable {
    public var eventID: String
    public var unitID: String
    public var type: String
    public var value: Double?
    public var occurredAt: Date
}

/// Turns named fields (from a CSV header or a JSON object) into typed records, with errors
/// that name the field.
enum RecordDecoder {
    /// The event types abctl knows; others are refused so that typos do not become data.
    static let eventTypes: Set<String> = ["view", "click", "add_to_cart", "purchase", "rating", "like", "share"]

    static func item(_ fields: [String: String], line: Int) throws(ImportError) -> ImportedItem {
        let id = try required("item_id", fields, line: line)
        // JSON Lines may carry an `attributes` object, kept with its JSON types; any other
        // column (CSV) or key becomes a string attribute.
        var attributes: [String: Any] = [:]
        if let text = fields["attributes"] {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw ImportError(line: line, field: "attributes", message: "is not a JSON object")
            }
            attributes = object
        }
        for (key, value) in fields where !["item_id", "title", "body", "text", "attributes"].contains(key) && !value.isEmpty {
            attributes[key] = value
        }
        let json =
            (try? JSONSerialization.data(withJSONObject: attributes, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ImportedItem(
            itemID: id,
            title: fields["title"] ?? "",
            body: fields["body"] ?? fields["text"] ?? "",
            attributesJSON: json
        )
    }

    static func interaction(_ fields: [String: String], line: Int) throws(ImportError) -> ImportedInteraction {
        let unit = try required("unit_id", fields, line: line)
        let item = try required("item_id", fields, line: line)
        let type = try required("event_type", fields, line: line)
        guard eventTypes.contains(type) else {
            throw ImportError(
                line: line,
                field: "event_type",
                message: "\"\(type)\" is not an event type; use one of \(eventTypes.sorted().joined(separator: ", "))"
            )
        }
        var value = 1.0
        if let text = fields["value"], !text.isEmpty {
            guard let number = Double(text), number.isFinite else {
                throw ImportError(line: line, field: "value", message: "\"\(text)\" is not a finite number")
            }
            value = number
        }
        let timeText = try required("occurred_at", fields, line: line)
        guard let time = parseTime(timeText) else {
            throw ImportError(
                line: line,
                field: "occurred_at",
                message: "\"\(timeText)\" is not a time; use ISO 8601 (2026-11-29T05:50:32Z) or seconds since 1970"
            )
        }
        let session = fields["session_id"].flatMap { $0.isEmpty ? nil : $0 }
        return ImportedInteraction(unitID: unit, itemID: item, eventType: type, value: value, occurredAt: time, sessionID: session)
    }

    /// An outcome event: event_id, unit_id, type, value (optional), timestamp.
    static func outcome(_ fields: [String: String], line: Int) throws(ImportError) -> ImportedOutcome {
        let id = try required("event_id", fields, line: line)
        let unit = try required("unit_id", fields, line: line)
        let type = try required("type", fields, line: line)
        guard OutcomeEventName.isValid(type) else {
            throw ImportError(line: line, field: "type", message: "\"\(type)\" is not an outcome type name: \(OutcomeEventName.rule)")
        }
        var value: Double?
        if let text = fields["value"], !text.isEmpty {
            guard let number = Double(text), number.isFinite else {
                throw ImportError(line: line, field: "value", message: "\"\(text)\" is not a finite number")
            }
            value = number
        }
        let timeText = try required("timestamp", fields, line: line)
        guard let time = parseTime(timeText) else {
            throw ImportError(
                line: line,
                field: "timestamp",
                message: "\"\(timeText)\" is not a time; use ISO 8601 (2026-11-29T05:50:32Z) or seconds since 1970"
            )
        }
        return ImportedOutcome(eventID: id, unitID: unit, type: type, value: value, occurredAt: time)
    }

    static func required(_ name: String, _ fields: [String: String], line: Int) throws(ImportError) -> String {
        guard let value = fields[name] else {
            throw ImportError(line: line, field: name, message: "is missing")
        }
        guard !value.isEmpty else {
            throw ImportError(line: line, field: name, message: "is empty")
        }
        if value.utf8.contains(0) {
            throw ImportError(line: line, field: name, message: "contains a NUL byte")
        }
        return value
    }

    /// ISO 8601 with or without fractional seconds and zone, or seconds since 1970.
    static func parseTime(_ text: String) -> Date? {
        if let seconds = Double(text), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
        var normalized = text
        if normalized.hasSuffix("Z") { normalized = String(normalized.dropLast()) + "+00" }
        if normalized.count == 10 { normalized += " 00:00:00+00" }  // a date alone
        if normalized.count == 19 { normalized += "+00" }  // no zone: UTC
        return PostgresTimestamp.parse(normalized)
    }
}
