import Foundation
import Logging
import PostgresClient
import Synchronization

/// The durable path of feedback events.
public typealias FeedbackWriter = EventWriter<FeedbackTable>

/// The durable path of outcome events.
public typealias OutcomeWriter = EventWriter<OutcomeTable>

/// The durable path of client events (feedback, outcomes): a batch is committed to PostgreSQL, or, when
/// PostgreSQL is unreachable (or was at the last try, until the replayer reaches it again),
/// appended to the fsynced spool. Either way, when `store` returns the events survive a crash.
public final class EventWriter<Table: DurableEventTable>: Sendable {
    /// Where a batch ended up.
    public enum Outcome: Sendable, Equatable {
        /// Committed; `inserted` rows were new, the rest were already stored (duplicates).
        case committed(inserted: Int)
        /// Spooled locally; duplicates will be dropped on replay.
        case spooled
    }

    let pool: PostgresConnectionPool
    let spool: FileSpool<Table.Event>
    let metrics: ServerMetrics
    let logger: Logger
    /// Commits concurrent batches together (one COPY, one COMMIT per group).
    let group: EventGroupCommit<Table>
    private let inFlight = Atomic<Int>(0)
    /// Whether new batches go straight to the spool: from a commit that found PostgreSQL
    /// unreachable until the replayer's next pass that reached it (and at start while the
    /// spool holds a previous run's events). Not "while the spool holds anything": under
    /// steady traffic a batch arrives during every replay pass, so every event would keep
    /// taking the spool's path (and its one fsync at a time) long after PostgreSQL is back.
    private let spoolsNewBatches: Atomic<Bool>
    private let maxInFlight: Int
    private let maxSpoolBytes: Int

    init(
        pool: PostgresConnectionPool,
        spool: FileSpool<Table.Event>,
        metrics: ServerMetrics,
        maxInFlight: Int,
        maxSpoolBytes: Int,
        logger: Logger
    ) {
        self.pool = pool
        self.group = EventGroupCommit(pool: pool, logger: logger)
        self.spool = spool
        self.metrics = metrics
        self.maxInFlight = maxInFlight
        self.maxSpoolBytes = maxSpoolBytes
        self.logger = logger
        self.spoolsNewBatches = Atomic(spool.hasPending)
    }

    /// The replayer committed a pass: PostgreSQL answers, so new batches are committed
    /// directly while it drains what the spool still holds.
    func postgresAnswered() {
        spoolsNewBatches.store(false, ordering: .relaxed)
    }

    /// Events being written right now.
    var eventsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Stores `events` durably; throws a 503 `APIError` when a limit is reached (nothing stored).
    func store(_ events: [Table.Event]) async throws -> Outcome {
        guard !events.isEmpty else { return .committed(inserted: 0) }
        let now = inFlight.add(events.count, ordering: .relaxed).newValue
        defer { inFlight.subtract(events.count, ordering: .relaxed) }
        guard now <= maxInFlight else {
            metrics.overloadResponses.add(1, ordering: .relaxed)
            throw APIError(.serviceUnavailable, "Too many events are being written; retry shortly", retryAfter: 1)
        }
        if spoolsNewBatches.load(ordering: .relaxed) {
            // PostgreSQL was unreachable at the last try: do not wait on it once per batch.
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
            spoolsNewBatches.store(true, ordering: .relaxed)
            return try await spoolEvents(events)
        }
    }

    private func spoolEvents(_ events: [Table.Event]) async throws -> Outcome {
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
