import Foundation
import Logging
import PostgresClient

/// Checks that each event answers a decision this service made: its request_id must be a
/// decision's, and its unit_id that decision's unit. Recent decisions are found in memory
/// (`RecentRequests`), older ones with one query per batch on `impressions` (its primary key
/// leads with request_id). When PostgreSQL cannot answer, the ids it would have checked are
/// accepted: an event is never refused because of our own outage.
struct RequestCheck: Sendable {
    let recent: RecentRequests
    let pool: PostgresConnectionPool
    let logger: Logger

    /// The events that passed, with their batch index, and one problem for each that did not.
    struct Outcome: Sendable {
        var kept: [IndexedEvent] = []
        var problems: [EventBatchValidator.Problem] = []
        /// Events accepted without a check because PostgreSQL could not be asked.
        var unchecked = 0
    }

    func check(_ events: [IndexedEvent]) async -> Outcome {
        var units: [UUID: String] = [:]
        var unknown: Set<UUID> = []
        for item in events where units[item.event.requestID] == nil {
            if let unit = recent.unit(of: item.event.requestID) {
                units[item.event.requestID] = unit
            } else {
                unknown.insert(item.event.requestID)
            }
        }
        var unreachable = false
        if !unknown.isEmpty {
            do {
                for (id, unit) in try await lookUp(Array(unknown)) {
                    units[id] = unit
                    recent.remember(id, unit: unit)
                }
            } catch {
                logger.warning("Request ids cannot be checked while PostgreSQL fails; accepting them", metadata: ["error": "\(error)"])
                unreachable = true
            }
        }
        var outcome = Outcome()
        for item in events {
            let event = item.event
            guard let unit = units[event.requestID] else {
                if unreachable {
                    outcome.unchecked += 1
                    outcome.kept.append(item)
                } else {
                    outcome.problems.append(
                        Self.problem(
                            item,
                            "request_id",
                            "No decision has request_id \(Self.text(event.requestID)); send the request_id a decision returned"
                        )
                    )
                }
                continue
            }
            guard unit == event.unitID else {
                outcome.problems.append(
                    Self.problem(
                        item,
                        "unit_id",
                        "request_id \(Self.text(event.requestID)) was decided for unit_id \"\(unit)\", not \"\(event.unitID)\"; send the decision's unit"
                    )
                )
                continue
            }
            outcome.kept.append(item)
        }
        return outcome
    }

    /// The unit of each id that has an impression in PostgreSQL.
    private func lookUp(_ ids: [UUID]) async throws -> [(UUID, String)] {
        try await pool.withConnection { db in
            try db.query("SELECT request_id, unit_id FROM impressions WHERE request_id = ANY(\(ids))").map { row in
                try row.decode((UUID, String).self)
            }
        }
    }

    private static func problem(_ item: IndexedEvent, _ field: String, _ message: String) -> EventBatchValidator.Problem {
        EventBatchValidator.Problem(index: item.index, eventID: item.event.eventID, field: field, message: message)
    }

    private static func text(_ id: UUID) -> String { id.uuidString.lowercased() }
}
