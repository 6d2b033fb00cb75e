import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Flushes the impression buffer to PostgreSQL with COPY every `interval` (or sooner when
/// a batch fills up). When PostgreSQL is unreachable a batch goes to the fsynced impression
/// spool instead (and so do later ones while the spool holds any, to keep their order); the
/// spool is replayed, oldest first and deduplicated, once PostgreSQL answers. On graceful
/// shutdown it flushes what is left before returning.
struct ImpressionWriter: Service {
    let buffer: ImpressionBuffer
    let pool: PostgresConnectionPool
    let metrics: ServerMetrics
    let interval: Duration
    let logger: Logger
    /// Where impressions wait while PostgreSQL is away; nil keeps them in memory only.
    var spool: ImpressionSpool? = nil
    /// Most bytes the impression spool may hold; past it impressions wait in memory (and the
    /// buffer drops, and counts, what does not fit).
    var maxSpoolBytes = 1 << 30
    var batchSize = 5000
    var retryInterval: Duration = .seconds(1)

    func run() async throws {
        var nextReplay = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let flushed = await flushOnce()
            if let spool, spool.hasPending, ContinuousClock.now >= nextReplay, !(await replayOnce()) {
                nextReplay = ContinuousClock.now + retryInterval
            }
            if !flushed || buffer.count < batchSize {
                try? await Task.sleep(for: flushed ? interval : retryInterval)
            }
        }
        // Drain on shutdown; give up after a few failures so shutdown cannot hang forever.
        var failures = 0
        while buffer.count > 0 && failures < 3 {
            if !(await flushOnce()) { failures += 1 }
        }
    }

    /// Writes one batch to PostgreSQL or the spool; false when neither took it (the batch is put back).
    @discardableResult
    func flushOnce() async -> Bool {
        let batch = buffer.take(upTo: batchSize)
        guard !batch.isEmpty else { return true }
        if let spool, spool.hasPending { return await spoolBatch(batch, in: spool) }
        let start = ContinuousClock.now
        do {
            let written = try await pool.withConnection { db in try ImpressionTable.copy(batch, on: db) }
            ServerMetrics.record(since: start, sum: metrics.impressionFlushMicros, count: metrics.impressionFlushes)
            metrics.impressionsWritten.add(written, ordering: .relaxed)
            return true
        } catch let error as PostgresError where error.kind == .connection || error.kind == .connectionLost {
            guard let spool else {
                buffer.putBack(batch)
                return false
            }
            // Written or not, spooling is safe: the replay skips impressions already stored.
            logger.warning("PostgreSQL unreachable; spooling impressions", metadata: ["error": "\(error)", "impressions": "\(batch.count)"])
            return await spoolBatch(batch, in: spool)
        } catch {
            logger.warning("Impression flush failed; will retry", metadata: ["error": "\(error)", "impressions": "\(batch.count)"])
            buffer.putBack(batch)
            return false
        }
    }

    private func spoolBatch(_ batch: [Impression], in spool: ImpressionSpool) async -> Bool {
        guard spool.pendingBytes < maxSpoolBytes else {
            buffer.putBack(batch)
            return false
        }
        do {
            try await spool.append(batch)
            return true
        } catch {
            logger.error("Spooling impressions failed; keeping them in memory", metadata: ["error": "\(error)"])
            buffer.putBack(batch)
            return false
        }
    }

    /// Replays the impression spool, oldest segment first, in transactions of `batchSize`;
    /// a segment is deleted once all of it is stored. False when PostgreSQL failed.
    @discardableResult
    func replayOnce() async -> Bool {
        guard let spool else { return true }
        do {
            for segment in try spool.sealAndListSegments() {
                let (impressions, skipped) = try ImpressionSpool.read(segment)
                if skipped > 0 {
                    logger.warning("Skipped unreadable impression spool lines (a torn write)", metadata: ["lines": "\(skipped)"])
                }
                var index = 0
                while index < impressions.count {
                    let chunk = Array(impressions[index..<min(impressions.count, index + batchSize)])
                    let written = try await pool.withConnection { db in try ImpressionTable.insertMissing(chunk, on: db) }
                    metrics.impressionsWritten.add(written, ordering: .relaxed)
                    index += chunk.count
                }
                spool.remove(segment)
                logger.info("Replayed impression spool segment", metadata: ["impressions": "\(impressions.count)"])
            }
            return true
        } catch {
            logger.info("Impression spool replay waits for PostgreSQL", metadata: ["error": "\(error)"])
            return false
        }
    }
}
