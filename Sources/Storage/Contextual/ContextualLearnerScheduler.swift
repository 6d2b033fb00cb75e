import Foundation
import Logging
import PostgresClient

/// Runs learning passes of the running contextual experiments: each pass learns every one
/// whose latest model version is at least its update_interval (or `interval`) old. The
/// server's `AllocatorService` runs a pass after each allocation pass; failures are logged.
public struct ContextualLearnerScheduler: Sendable {
    let pool: PostgresConnectionPool
    let interval: Double?
    let clock: @Sendable () -> Date
    let logger: Logger

    /// A scheduler over `pool`; `interval` replaces each spec's update_interval (seconds).
    public init(
        pool: PostgresConnectionPool,
        interval: Double? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "abctl.learn")
    ) {
        self.pool = pool
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// One pass: learns every due experiment and returns the checkpoints written.
    public func runOnce() async -> [ContextualCheckpoint] {
        let now = clock()
        let due: [BanditSchedule]
        do {
            let interval = interval
            due = try await pool.withConnection { db in try ContextualLearner(connection: db).runningContextual() }
                .filter { $0.isDue(at: now, override: interval) }
        } catch {
            logger.warning("contextual learner could not list experiments", metadata: ["error": "\(error)"])
            return []
        }
        var written: [ContextualCheckpoint] = []
        for schedule in due {
            if Task.isCancelled { break }
            do {
                if let checkpoint = try await pool.withConnection({ db in try ContextualLearner(connection: db).learn(schedule.experiment, now: now) }
                ) {
                    logger.info(
                        "contextual model learned",
                        metadata: ["experiment": "\(schedule.experiment)", "version": "\(checkpoint.version)", "decisions": "\(checkpoint.learned)"]
                    )
                    written.append(checkpoint)
                }
            } catch {
                logger.warning("contextual learning failed", metadata: ["experiment": "\(schedule.experiment)", "error": "\(error)"])
            }
        }
        return written
    }
}
