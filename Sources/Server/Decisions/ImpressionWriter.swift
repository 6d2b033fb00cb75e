import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Flushes the impression buffer to PostgreSQL with COPY every `interval` (or sooner when
/// a batch fills up); on graceful shutdown it flushes what is left before returning.
struct ImpressionWriter: Service {
    let buffer: ImpressionBuffer
    let pool: PostgresConnectionPool
    let metrics: ServerMetrics
    let interval: Duration
    let logger: Logger
    var batchSize = 5000

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let flushed = await flushOnce()
            if !flushed || buffer.count < batchSize {
                try? await Task.sleep(for: flushed ? interval : .seconds(1))
            }
        }
        // Drain on shutdown; give up after a few failures so shutdown cannot hang forever.
        var failures = 0
        while buffer.count > 0 && failures < 3 {
            if !(await flushOnce()) { failures += 1 }
        }
    }

    /// Writes one batch; false when PostgreSQL failed (the batch is put back).
    @discardableResult
    func flushOnce() async -> Bool {
        let batch = buffer.take(upTo: batchSize)
        guard !batch.isEmpty else { return true }
        let start = ContinuousClock.now
        do {
            let written = try await pool.withConnection { db in try Self.copy(batch, on: db) }
            ServerMetrics.record(since: start, sum: metrics.impressionFlushMicros, count: metrics.impressionFlushes)
            metrics.impressionsWritten.add(written, ordering: .relaxed)
            return true
        } catch {
            logger.warning("Impression flush failed; will retry", metadata: ["error": "\(error)", "impressions": "\(batch.count)"])
            buffer.putBack(batch)
            return false
        }
    }

    static func copy(_ batch: [Impression], on db: PostgresConnection) throws -> Int {
        try db.copyIn(
            """
            COPY impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity,
                              allocation_version, context, reason, created_at, teams) FROM STDIN
            """
        ) { writer in
            for impression in batch {
                try writer.appendRow { row in
                    row.append(impression.requestID)
                    try row.append(impression.experiment)
                    row.append(impression.experimentVersion)
                    try row.append(impression.arm)
                    try row.append(impression.unitID)
                    try row.append(impression.itemIDs)
                    row.append(impression.scores)
                    row.append(impression.propensity)
                    row.append(impression.allocationVersion)
                    try row.append(impression.contextJSON)
                    if let reason = impression.reason { try row.append(reason) } else { row.appendNull() }
                    row.append(impression.createdAt)
                    if let teams = impression.teams { try row.append(teams) } else { row.appendNull() }
                }
            }
            return false
        }
    }
}
