import Synchronization

/// Counts fire-and-forget writes still running (a sticky arm being recorded after its
/// decision was answered), so a process about to exit can wait for them: `abctl decide`
/// exited while one was still connecting to PostgreSQL, losing the write and, once,
/// crashing in libpq's teardown.
final class PendingWrites: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// A write starts; pair with `end()`.
    func begin() {
        state.withLock { $0.running += 1 }
    }

    /// A write finished (stored or failed); wakes the waiters when it was the last.
    func end() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no write is running.
    func drained() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                guard state.running > 0 else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
