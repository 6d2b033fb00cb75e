import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import Storage
import Synchronization

/// Keeps the snapshot current: a dedicated connection on a thread of its own LISTENs on
/// `abctl_experiments` and reloads on every NOTIFY, and at least every `pollInterval`
/// seconds as a fallback. When PostgreSQL is down the last snapshot keeps serving and the
/// thread reconnects (then reloads, in case a NOTIFY was missed).
struct ExperimentReloader: Service {
    let conninfo: String
    let store: SnapshotStore
    let metrics: ServerMetrics
    let pollInterval: Double
    let logger: Logger
    /// Called after each reload with the new snapshot (the ranker refreshes its strategies).
    var onReload: @Sendable (ExperimentSnapshot, PostgresConnection) -> Void = { _, _ in }

    func run() async throws {
        let stop = StopFlag()
        let finished = ThreadFinished()
        let thread = Thread { [self] in
            loop(stop: stop)
            finished.signal()
        }
        thread.name = "abctl.experiment-reloader"
        thread.start()
        try? await gracefulShutdown()
        stop.value.store(true, ordering: .relaxed)
        await finished.wait()
    }

    private func loop(stop: StopFlag) {
        var connection: PostgresConnection?
        var lastReload = Date.distantPast
        var failing = false
        while !stop.value.load(ordering: .relaxed) {
            do {
                if connection == nil || connection?.isHealthy == false {
                    let fresh = try PostgresConnection(conninfo: conninfo, logger: logger)
                    try fresh.listen(ExperimentStore.notificationChannel)
                    connection = fresh
                    try reload(fresh)
                    lastReload = Date()
                    if failing { logger.warning("Experiment reloads resumed") }
                    failing = false
                }
                guard let db = connection else { continue }
                let notifications = try db.waitForNotifications(timeout: 0.5)
                if !notifications.isEmpty || Date().timeIntervalSince(lastReload) >= pollInterval {
                    try reload(db)
                    lastReload = Date()
                }
            } catch {
                if !failing { logger.warning("Experiment reloads paused; serving the last snapshot", metadata: ["error": "\(error)"]) }
                failing = true
                connection = nil
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    private func reload(_ db: PostgresConnection) throws {
        let snapshot = try ExperimentSnapshot.load(from: db, logger: logger)
        store.replace(with: snapshot)
        onReload(snapshot, db)
        metrics.reloads.add(1, ordering: .relaxed)
    }
}

/// A flag a task sets and a thread polls.
final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// A one-shot signal from a thread to an awaiting task.
final class ThreadFinished: Sendable {
    private let state = Mutex<(done: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.done = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.done { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
