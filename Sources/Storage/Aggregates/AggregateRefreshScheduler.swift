import Foundation
import Logging
import PostgresClient

/// Refreshes the maintained aggregates every `interval` seconds until its task is cancelled
/// (`abctl serve`, `abctl refresh --watch`). Several servers may each run one: the advisory
/// lock lets one refresh at a time and the others skip that pass, so when the holder dies
/// (its session ends and PostgreSQL releases the lock) the next pass of a peer takes over.
/// Failures are logged and never stop the loop. Database work runs on the pool's threads.
public struct AggregateRefreshScheduler: Sendable {
    let pool: PostgresConnectionPool
    let interval: Double
    let logger: Logger

    /// A scheduler over `pool` refreshing every `interval` seconds.
    public init(pool: PostgresConnectionPool, interval: Double, logger: Logger = Logger(label: "abctl.refresh")) {
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    /// One refresh; nil when another session was refreshing or the refresh failed.
    public func runOnce() async -> [AggregateRefresher.Refreshed]? {
        do {
            let refreshed = try await pool.withConnection { db in try AggregateRefresher(connection: db).refresh() }
            if let refreshed {
                logger.debug(
                    "aggregates refreshed",
                    metadata: ["definitions": "\(refreshed.count)", "impressions": "\(refreshed.reduce(0) { $0 + $1.impressions })"]
                )
            } else {
                logger.debug("another session is refreshing the aggregates")
            }
            return refreshed
        } catch {
            logger.warning("aggregate refresh failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Runs a refresh every `interval` seconds until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            _ = await runOnce()
            do {
                try await Task.sleep(for: .seconds(interval))
            } catch {
                return  // cancelled while sleeping
            }
        }
    }
}
