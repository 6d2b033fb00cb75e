import Dispatch
import Foundation
import Logging

/// A small pool of connections for a server. Each connection lives on a thread of its own
/// (libpq blocks), so work sent here never occupies Swift's cooperative pool; callers
/// `await` the result. Connections that broke are replaced on the next use.
public final class PostgresConnectionPool: Sendable {
    private let conninfo: String
    private let logger: Logger
    private let slots: [Slot]
    private let state: LockedState

    /// A pool of `size` connections made from `conninfo` on first use.
    public init(conninfo: String, size: Int = 4, logger: Logger = Logger(label: "abctl.postgres.pool")) {
        precondition(size > 0, "a pool needs at least one connection")
        self.conninfo = conninfo
        self.logger = logger
        slots = (0..<size).map { Slot(queue: DispatchQueue(label: "abctl.postgres.connection.\($0)")) }
        state = LockedState(free: Array(0..<size))
    }

    /// Runs `body` with a connection of the pool, on that connection's own thread.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let index = await state.acquire()
        defer { state.release(index) }
        let slot = slots[index]
        let conninfo = conninfo
        let logger = logger
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                continuation.resume(
                    with: Result {
                        try body(slot.connection(conninfo: conninfo, logger: logger))
                    }
                )
            }
        }
    }

    /// One connection and the serial queue that owns it. The connection is touched only on
    /// `queue`, which is what makes the unchecked Sendable sound.
    private final class Slot: @unchecked Sendable {
        let queue: DispatchQueue
        private var connection: PostgresConnection?

        init(queue: DispatchQueue) {
            self.queue = queue
        }

        /// The slot's connection, reconnecting if there is none or it broke. Runs on `queue`.
        func connection(conninfo: String, logger: Logger) throws -> PostgresConnection {
            dispatchPrecondition(condition: .onQueue(queue))
            if let connection, connection.isHealthy { return connection }
            connection = nil
            let fresh = try PostgresConnection(conninfo: conninfo, logger: logger)
            connection = fresh
            return fresh
        }
    }

    /// Free slot indices and the tasks waiting for one, behind a lock.
    private final class LockedState: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [Int]
        private var waiters: [CheckedContinuation<Int, Never>] = []

        init(free: [Int]) {
            self.free = free
        }

        func acquire() async -> Int {
            await withCheckedContinuation { continuation in
                lock.lock()
                if let index = free.popLast() {
                    lock.unlock()
                    continuation.resume(returning: index)
                } else {
                    waiters.append(continuation)
                    lock.unlock()
                }
            }
        }

        func release(_ index: Int) {
            lock.lock()
            if waiters.isEmpty {
                free.append(index)
                lock.unlock()
            } else {
                let waiter = waiters.removeFirst()
                lock.unlock()
                waiter.resume(returning: index)
            }
        }
    }
}
