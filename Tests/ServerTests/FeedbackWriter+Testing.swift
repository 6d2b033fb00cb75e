import Logging
import PostgresClient

@testable import Server

extension FeedbackWriter {
    /// A writer over `pool` and `spool` with limits no test reaches, for the event path without a server.
    convenience init(testing pool: PostgresConnectionPool, spool: Spool) {
        self.init(pool: pool, spool: spool, metrics: ServerMetrics(), maxInFlight: 1000, maxSpoolBytes: 1 << 20, logger: Logger(label: "test"))
    }
}
