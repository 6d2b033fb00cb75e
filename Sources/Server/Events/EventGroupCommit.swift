import Logging
import PostgresClient
import Synchronization

/// Group commit of event batches into `Table`: the requests waiting at a moment are written
/// together, one COPY and one COMMIT, by a writer task, and each request gets its own count
/// of new events (`Table.insert(batches:)` attributes every stored event to the first batch
/// that carried it). While a group commits, the next one gathers; up to `maxWriters` groups
/// are in flight at once, so one slow commit does not hold the pool idle.
final class EventGroupCommit<Table: DurableEventTable>: Sendable {
    private struct Waiter {
        var events: [Table.Event]
        var continuation: CheckedContinuation<Int, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var writers = 0
    }

    let pool: PostgresConnectionPool
    let maxWriters: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(pool: PostgresConnectionPool, maxWriters: Int = 2, logger: Logger) {
        self.pool = pool
        self.maxWriters = max(1, maxWriters)
        self.logger = logger
    }

    /// Commits `events` with whatever else is waiting; returns how many of them were new.
    /// Throws PostgreSQL's error when the group could not be committed (nothing of it is
    /// acknowledged; a connection error may hide a commit, which dedup makes harmless).
    func commit(_ events: [Table.Event]) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let startsWriter = state.withLock { state -> Bool in
                state.waiting.append(Waiter(events: events, continuation: continuation))
                guard state.writers < maxWriters else { return false }
                state.writers += 1
                return true
            }
            if startsWriter { Task { await self.write() } }
        }
    }

    /// Takes the waiting batches and commits them, until none wait.
    private func write() async {
        while true {
            let group = state.withLock { state -> [Waiter] in
                let group = state.waiting
                state.waiting = []
                if group.isEmpty { state.writers -= 1 }
                return group
            }
            guard !group.isEmpty else { return }
            await commit(group)
        }
    }

    private func commit(_ group: [Waiter]) async {
        let batches = group.map(\.events)
        do {
            let counts = try await pool.withConnection { db in try Table.insert(batches: batches, on: db) }
            for (waiter, count) in zip(group, counts) { waiter.continuation.resume(returning: count) }
        } catch let error as PostgresError where group.count > 1 && error.kind != .connection && error.kind != .connectionLost {
            // One batch may be at fault (the server refused a value): commit each alone so
            // the others still succeed and only the culprit's request fails.
            logger.warning("A grouped commit failed; committing its batches one by one", metadata: ["error": "\(error)"])
            for waiter in group {
                let events = waiter.events
                do {
                    let count = try await pool.withConnection { db in try Table.insert(batches: [events], on: db) }
                    waiter.continuation.resume(returning: count[0])
                } catch {
                    waiter.continuation.resume(throwing: error)
                }
            }
        } catch {
            for waiter in group { waiter.continuation.resume(throwing: error) }
        }
    }
}
