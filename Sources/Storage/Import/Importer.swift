import Foundation
import PostgresClient

/// Loads items, interactions or outcome events from CSV or JSON Lines into PostgreSQL with COPY. Every row
/// is checked; a bad row aborts the whole import (nothing is stored) with its line and
/// field, unless `skipBadRows` is set, in which case bad rows are counted and reported.
public struct Importer {
    /// What is being imported.
    public enum Kind: String, Sendable, CaseIterable {
        case items
        case interactions
        /// Outcome events (sql/0017), stored once per (event_id, timestamp) like POST /v1/outcomes.
        case outcomes

        /// The table COPY writes into, and its columns.
        var copyTarget: (table: String, columns: String) {
            switch self {
            case .items: ("import_items", "item_id, title, body, attributes")
            case .interactions: ("interactions", "unit_id, item_id, event_type, value, occurred_at, session_id")
            case .outcomes: ("import_outcomes", "event_id, unit_id, event_type, value, created_at")
            }
        }
    }

    /// The outcome of an import.
    public struct Report: Sendable {
        public var stored: Int
        /// Good rows already stored (outcomes: same event id and time), not stored again.
        public var duplicates = 0
        /// Rows skipped with --skip-bad-rows, with why (all of them are counted; the first
        /// 20 are kept for display).
        public var skipped: Int
        public var skippedExamples: [ImportError]
    }

    /// An import that found bad rows: the first few of them, and how many there were.
    public struct Failure: Error, CustomStringConvertible {
        public var errors: [ImportError]
        public var total: Int
        public var description: String {
            let list = errors.map(\.description).joined(separator: "\n")
            let more = total > errors.count ? "\n… and \(total - errors.count) more bad rows" : ""
            return "\(list)\(more)\nNothing was imported. Fix the rows, or pass --skip-bad-rows to load the good ones and count the rest"
        }
    }

    public var kind: Kind
    public var skipBadRows: Bool
    /// Called now and then with the fraction of the file read and the rows stored so far.
    public var progress: (@Sendable (Double, Int) -> Void)?

    public init(kind: Kind, skipBadRows: Bool = false, progress: (@Sendable (Double, Int) -> Void)? = nil) {
        self.kind = kind
        self.skipBadRows = skipBadRows
        self.progress = progress
    }

    /// Imports the file at `path` (format from its extension: .csv, .tsv, .jsonl/.ndjson).
    public func run(path: String, connection: PostgresConnection) throws -> Report {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StorageError("Cannot read \(path)", advice: "Check the path and its permissions")
        }
        var source = try RecordSource(path: path, bytes: Array(data))
        var errors: [ImportError] = []
        var badRows = 0
        var seenItems = Set<String>()
        var stored = 0
        let (table, columns) = kind.copyTarget
        return try connection.transaction { db in
            switch kind {
            case .items: try db.executeScript("CREATE TEMPORARY TABLE import_items (LIKE items INCLUDING DEFAULTS) ON COMMIT DROP")
            case .outcomes: try db.executeScript("CREATE TEMPORARY TABLE import_outcomes (LIKE outcome_events INCLUDING DEFAULTS) ON COMMIT DROP")
            case .interactions: break
            }
            do {
                _ = try db.copyIn(PostgresQuery(unsafeSQL: "COPY \(table) (\(columns)) FROM STDIN")) { writer in
                    var batch = 0
                    var finished = false
                    func record(_ thrown: any Error) {
                        var error = (thrown as? ImportError) ?? ImportError(line: 0, field: nil, message: "\(thrown)")
                        error.file = path
                        badRows += 1
                        if errors.count < 20 { errors.append(error) }
                    }
                    while batch < 5_000 {
                        batch += 1
                        let next: ([String: String], Int)?
                        do {
                            next = try source.next()
                        } catch {
                            record(error)
                            continue
                        }
                        guard let (fields, line) = next else {
                            finished = true
                            break
                        }
                        do {
                            try write(fields, line: line, into: &writer, seen: &seenItems)
                            stored += 1
                        } catch {
                            record(error)
                        }
                    }
                    progress?(source.fractionRead, stored)
                    if finished { return false }
                    // Without --skip-bad-rows, stop sending after the first bad row but keep
                    // reading a while, so that the user sees several problems at once.
                    return !(badRows > 0 && !skipBadRows && errors.count >= 20)
                }
            } catch let error as ImportError {
                var error = error
                error.file = path
                throw Failure(errors: [error], total: 1)
            } catch let failure as Failure {
                throw failure
            }
            if badRows > 0 && !skipBadRows {
                throw Failure(errors: errors, total: badRows)
            }
            var duplicates = 0
            switch kind {
            case .items:
                try db.executeScript(
                    """
                    INSERT INTO items (item_id, title, body, attributes)
                    SELECT item_id, title, body, attributes FROM import_items
                    ON CONFLICT (item_id) DO UPDATE
                    SET title = EXCLUDED.title, body = EXCLUDED.body, attributes = EXCLUDED.attributes
                    """
                )
            case .outcomes:
                // In key order, as the server writes them; an event twice in the file, or
                // already stored, is stored once.
                let inserted = try db.execute(
                    """
                    INSERT INTO outcome_events (event_id, unit_id, event_type, value, created_at)
                    SELECT DISTINCT ON (event_id, created_at) event_id, unit_id, event_type, value, created_at
                    FROM import_outcomes ORDER BY event_id, created_at
                    ON CONFLICT DO NOTHING
                    """
                )
                duplicates = stored - inserted
                stored = inserted
            case .interactions: break
            }
            return Report(stored: stored, duplicates: duplicates, skipped: badRows, skippedExamples: errors)
        }
    }

    private func write(_ fields: [String: String], line: Int, into writer: inout CopyWriter, seen: inout Set<String>) throws(ImportError) {
        do {
            switch kind {
            case .items:
                let item = try RecordDecoder.item(fields, line: line)
                guard seen.insert(item.itemID).inserted else {
                    throw ImportError(line: line, field: "item_id", message: "\"\(item.itemID)\" appears more than once in the file")
                }
                try writer.appendRow { row in
                    try row.append(item.itemID)
                    try row.append(item.title)
                    try row.append(item.body)
                    try row.append(item.attributesJSON)
                }
            case .interactions:
                let interaction = try RecordDecoder.interaction(fields, line: line)
                try writer.appendRow { row in
                    try row.append(interaction.unitID)
                    try row.append(interaction.itemID)
                    try row.append(interaction.eventType)
                    row.append(interaction.value)
                    row.append(interaction.occurredAt)
                    if let session = interaction.sessionID { try row.append(session) } else { row.appendNull() }
                }
            case .outcomes:
                let outcome = try RecordDecoder.outcome(fields, line: line)
                try writer.appendRow { row in
                    try row.append(outcome.eventID)
                    try row.append(outcome.unitID)
                    try row.append(outcome.type)
                    if let value = outcome.value { row.append(value) } else { row.appendNull() }
                    row.append(outcome.occurredAt)
                }
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(line: line, field: nil, message: "\(error)")
        }
    }
}
