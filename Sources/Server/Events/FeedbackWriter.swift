import Foundation
import Logging
import PostgresClient
import Synchronization

/// The durable path of feedback events: a batch is committed to PostgreSQL, or, when
/// PostgreSQL is unreachable (or the spool still holds older events), appended to the
/// fsynced spool. Either way, when `store` returns the events survive a crash.
public final class FeedbackWriter: Sendable {
    /// Where a batch ended up.
    public enum Outcome: Sendable, Equatable {
        /// Committed; `inserted` rows were new, the rest were already stored (duplicates).
        case committed(inserted: Int)
        /// Spooled locally; duplicates will be dropped on replay.
        case spooled
    }

    let pool: PostgresConnectionPool
    let spool: Spool
    let metrics: ServerMetrics
    let logger: Logger
    /// Commits concurrent batches together (one COPY, one COMMIT per group).
    let group: FeedbackGroupCommit
    private let inFlight = Atomic<Int>(0)
    private let maxInFlight: Int
    private let maxSpoolBytes: Int

    init(
        pool: PostgresConnectionPool,
        spool: Spool,
        metrics: ServerMetrics,
        maxInFlight: Int,
        maxSpoolBytes: Int,
        logger: Logger
    ) {
        self.pool = pool
        self.group = FeedbackGroupCommit(pool: pool, logger: logger)
        self.spool = spool
        self.metrics = metrics
        self.maxInFlight = maxInFlight
        self.maxSpoolBytes = maxSpoolBytes
        self.logger = logger
    }

    /// Events being written right now.
    var eventsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Stores `events` durably; throws a 503 `APIError` when a limit is reached (nothing stored).
    func store(_ events: [FeedbackEvent]) async throws -> Outcome {
        guard !events.isEmpty else { return .committed(inserted: 0) }
        let now = inFlight.add(events.count, ordering: .relaxed).newValue
        defer { inFlight.subtract(events.count, ordering: .relaxed) }
        guard now <= maxInFlight else {
            metrics.overloadResponses.add(1, ordering: .relaxed)
            throw APIError(.serviceUnavailable, "Too many events are being written; retry shortly", retryAfter: 1)
        }
        if spool.hasPending {
            // PostgreSQL was unreachable recently: keep order by spooling behind older events.
            return try await spoolEvents(events)
        }
        let start = ContinuousClock.now
        do {
            let inserted = try await group.commit(events)
            ServerMetrics.record(since: start, sum: metrics.eventCommitMicros, count: metrics.eventCommits)
            return .committed(inserted: inserted)
        } catch let error as PostgresError where error.kind == .connection || error.kind == .connectionLost {
            // The commit may or may not have happened; spooling is safe either way (dedup on replay).
            logger.warning("PostgreSQL unreachable; spooling events", metadata: ["error": "\(error)"])
            return try await spoolEvents(events)
        }
    }

    private func spoolEvents(_ events: [FeedbackEvent]) async throws -> Outcome {
        guard spool.pendingBytes < maxSpoolBytes else {
            metrics.overloadResponses.add(1, ordering: .relaxed)
            throw APIError(.serviceUnavailable, "The local spool is full while PostgreSQL is unreachable; retry later", retryAfter: 30)
        }
        do {
            try await spool.append(events)
        } catch {
            logger.error("Spooling failed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "Events could not be stored durably: \(error)", retryAfter: 5)
        }
        metrics.eventsSpooled.add(events.count, ordering: .relaxed)
        return .spooled
    }
}
