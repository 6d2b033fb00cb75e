import Foundation
import Logging
import PostgresClient

/// Runs allocation updates on the specs' intervals: each pass lists the running bandit
/// experiments and updates every one whose allocation in force is at least its
/// update_interval old. `run()` repeats passes until its task is cancelled; failures are
/// logged and never stop the loop. Database work runs on the pool's own threads.
public struct AllocationScheduler: Sendable {
    let pool: PostgresConnectionPool
    let experiments: Set<String>?
    let interval: Double?
    let pollInterval: Double
    let clock: @Sendable () -> Date
    let logger: Logger

    /// A scheduler over `pool`.
    /// - Parameters:
    ///   - experiments: only these experiments (nil: every running bandit experiment).
    ///   - interval: seconds between updates instead of each spec's update_interval.
    ///   - pollInterval: seconds between passes (how late an update may start).
    ///   - clock: the time the data cut-off and due checks use.
    public init(
        pool: PostgresConnectionPool,
        experiments: [String]? = nil,
        interval: Double? = nil,
        pollInterval: Double = 30,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "abctl.allocate")
    ) {
        self.pool = pool
        self.experiments = experiments.map(Set.init)
        self.interval = interval
        self.pollInterval = pollInterval
        self.clock = clock
        self.logger = logger
    }

    /// One pass: updates every due experiment and returns the updates written. An
    /// experiment that fails is logged and skipped; the others still run.
    public func runOnce() async -> [AllocationUpdate] {
        let now = clock()
        let due: [BanditSchedule]
        do {
            let schedules = try await pool.withConnection { db in try AllocationUpdater(connection: db).runningBandits() }
            let interval = interval
            due = schedules.filter { $0.isDue(at: now, override: interval) }
        } catch {
            logger.warning("allocation scheduler could not list experiments", metadata: ["error": "\(error)"])
            return []
        }
        var updates: [AllocationUpdate] = []
        for schedule in due where experiments?.contains(schedule.experiment) ?? true {
            if Task.isCancelled { break }
            let name = schedule.experiment
            // Due again under the experiment's lock: another server may have updated it meanwhile.
            let dueAfter = interval ?? schedule.interval
            do {
                let update = try await pool.withConnection { db in
                    try AllocationUpdater(connection: db).update(name, now: now, dueAfter: dueAfter)
                }
                logger.info(
                    "allocation updated",
                    metadata: ["experiment": "\(name)", "version": "\(update.version)", "weights": "\(update.weights)"]
                )
                updates.append(update)
            } catch AllocationError.notDue {
                logger.debug("allocation already updated by another writer", metadata: ["experiment": "\(name)"])
            } catch {
                logger.warning("allocation update failed", metadata: ["experiment": "\(name)", "error": "\(error)"])
            }
        }
        return updates
    }

    /// Runs passes every `pollInterval` seconds until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            _ = await runOnce()
            do {
                try await Task.sleep(for: .seconds(pollInterval))
            } catch {
                return  // cancelled while sleeping
            }
        }
    }
}
