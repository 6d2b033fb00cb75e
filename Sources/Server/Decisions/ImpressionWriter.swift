import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Flushes the impression buffer to PostgreSQL with COPY every `interval` (or sooner when
/// a batch fills up). When PostgreSQL is unreachable a batch goes to the fsynced impression
/// spool instead (and so do later ones while the spool holds any, to keep their order); the
/// spool is replayed, oldest first and deduplicated, once PostgreSQL answers. A row PostgreSQL
/// refuses is isolated (`ImpressionRefusals`) and moved to the dead-letter file, so it never
/// holds back the others. On graceful shutdown it flushes what is left before returning.
struct ImpressionWriter: Service {
    let buffer: ImpressionBuffer
    let pool: PostgresConnectionPool
    let metrics: ServerMetrics
    let interval: Duration
    let logger: Logger
    /// Where impressions wait while PostgreSQL is away; nil keeps them in memory only.
    var spool: ImpressionSpool? = nil
    /// Where impressions PostgreSQL refused are kept; nil leaves them in the error log only.
    var deadLetter: ImpressionDeadLetter? = nil
    /// Most bytes the impression spool may hold; past it impressions wait in memory (and,
    /// once the buffer is full, decisions are answered 503).
    var maxSpoolBytes = 1 << 30
    var batchSize = 5000
    /// Batches written at once while at least two batches wait (see `flushConcurrently`).
    var concurrentFlushes = 2
    var retryInterval: Duration = .seconds(1)

    func run() async throws {
        var nextReplay = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // A flush starts every `interval` at the latest, counted from the previous start:
            // sleeping a whole interval after a flush that itself took most of one would
            // halve the rate the writer keeps up with when decisions come fast.
            let cycleStart = ContinuousClock.now
            let flushed = buffer.count >= 2 * batchSize ? await flushConcurrently() : await flushOnce()
            if let spool, spool.hasPending, ContinuousClock.now >= nextReplay, !(await replayOnce()) {
                nextReplay = ContinuousClock.now + retryInterval
            }
            if !flushed {
                try? await Task.sleep(for: retryInterval)
            } else if buffer.count < batchSize {
                try? await Task.sleep(until: cycleStart + interval, clock: .continuous)
            }
        }
        // Drain on shutdown; give up after a few failures so shutdown cannot hang forever.
        var failures = 0
        while buffer.count > 0 && failures < 3 {
            if !(await flushOnce()) { failures += 1 }
        }
    }

    /// Writes `concurrentFlushes` batches at once, each on its own connection: with a backlog,
    /// PostgreSQL ingests faster over several connections than over one (and, on a machine
    /// it shares with the server, gets a larger share of the CPU). Order between impressions
    /// carries no meaning, and the spool's replay deduplicates, so the batches need no order.
    func flushConcurrently() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<concurrentFlushes { group.addTask { await flushOnce() } }
            return await group.reduce(true) { $0 && $1 }
        }
    }

    /// Writes one batch to PostgreSQL or the spool; false when some of it could go to neither
    /// (that part is put back). Rows PostgreSQL refuses go to the dead-letter file.
    @discardableResult
    func flushOnce() async -> Bool {
        let batch = buffer.take(upTo: batchSize)
        guard !batch.isEmpty else { return true }
        if let spool, spool.hasPending { return await spoolBatch(batch[...], in: spool) }
        let start = ContinuousClock.now
        // The first COPY takes the whole batch; the halves of a refused batch are inserted
        // with deduplication, so a part stored just before a lost connection is stored once.
        let outcome = await ImpressionRefusals.write(batch[...]) { part, isRetry in
            try await pool.withConnection { db in
                isRetry ? try ImpressionTable.insertMissing(part, on: db) : try ImpressionTable.copy(part, on: db)
            }
        }
        metrics.impressionsWritten.add(outcome.written, ordering: .relaxed)
        await deadLetter(outcome.refused)
        guard let failure = outcome.failure else {
            ServerMetrics.record(since: start, sum: metrics.impressionFlushMicros, count: metrics.impressionFlushes)
            return true
        }
        if let error = failure as? PostgresError, error.kind == .connection || error.kind == .connectionLost {
            guard let spool else {
                buffer.putBack(outcome.unwritten)
                return false
            }
            // Written or not, spooling is safe: the replay skips impressions already stored.
            logger.warning(
                "PostgreSQL unreachable; spooling impressions",
                metadata: ["error": "\(error)", "impressions": "\(outcome.unwritten.count)"]
            )
            return await spoolBatch(outcome.unwritten, in: spool)
        }
        logger.warning("Impression flush failed; will retry", metadata: ["error": "\(failure)", "impressions": "\(outcome.unwritten.count)"])
        buffer.putBack(outcome.unwritten)
        return false
    }

    private func spoolBatch(_ batch: ArraySlice<Impression>, in spool: ImpressionSpool) async -> Bool {
        guard spool.pendingBytes < maxSpoolBytes else {
            buffer.putBack(batch)
            return false
        }
        do {
            try await spool.append(Array(batch))
            return true
        } catch {
            logger.error("Spooling impressions failed; keeping them in memory", metadata: ["error": "\(error)"])
            buffer.putBack(batch)
            return false
        }
    }

    /// Replays the impression spool, oldest segment first, in transactions of `batchSize`;
    /// a segment is deleted once all of it is stored or dead-lettered. False when PostgreSQL failed.
    @discardableResult
    func replayOnce() async -> Bool {
        guard let spool else { return true }
        do {
            for segment in try spool.sealAndListSegments() {
                let contents = try ImpressionSpool.read(segment)
                let impressions = contents.records
                var index = 0
                while index < impressions.count {
                    let chunk = impressions[index..<min(impressions.count, index + batchSize)]
                    let outcome = await ImpressionRefusals.write(chunk) { part, _ in
                        try await pool.withConnection { db in try ImpressionTable.insertMissing(part, on: db) }
                    }
                    metrics.impressionsWritten.add(outcome.written, ordering: .relaxed)
                    await deadLetter(outcome.refused)
                    if let failure = outcome.failure { throw failure }
                    index += chunk.count
                }
                try spool.remove(segment, keeping: contents.unreadable)
                if !contents.unreadable.isEmpty {
                    logger.warning(
                        "Moved unreadable impression spool lines aside (a write torn by a crash, or a record this version cannot read)",
                        metadata: [
                            "lines": "\(contents.unreadable.count)",
                            "file": "\(spool.directory.appendingPathComponent(ImpressionSpool.unreadableFileName).path)",
                        ]
                    )
                }
                logger.info("Replayed impression spool segment", metadata: ["impressions": "\(impressions.count)"])
            }
            return true
        } catch {
            logger.info("Impression spool replay waits for PostgreSQL", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Keeps impressions PostgreSQL refused in the dead-letter file, logs each at error level
    /// with its request id, and counts them; they are never retried.
    private func deadLetter(_ refused: [(row: Impression, error: any Error)]) async {
        for (impression, error) in refused {
            let requestID = impression.requestID.uuidString.lowercased()
            guard let deadLetter else {
                metrics.impressionsRejected.add(1, ordering: .relaxed)
                logger.error(
                    "PostgreSQL refused an impression; it is not retried",
                    metadata: ["request_id": "\(requestID)", "error": "\(error)", "impression": "\(Self.json(impression))"]
                )
                continue
            }
            do {
                // A replay repeated after a lost connection meets the same row again: kept and counted once.
                guard try await deadLetter.append(impression, error: error) else { continue }
                metrics.impressionsRejected.add(1, ordering: .relaxed)
                logger.error(
                    "PostgreSQL refused an impression; it is kept in the dead-letter file and not retried",
                    metadata: ["request_id": "\(requestID)", "error": "\(error)", "file": "\(deadLetter.file.path)"]
                )
            } catch let failure {
                metrics.impressionsRejected.add(1, ordering: .relaxed)
                logger.error(
                    "PostgreSQL refused an impression and the dead-letter file cannot be written; the impression is only in this log",
                    metadata: [
                        "request_id": "\(requestID)", "error": "\(error)", "dead_letter_error": "\(failure)",
                        "impression": "\(Self.json(impression))",
                    ]
                )
            }
        }
    }

    /// An impression as one line of JSON, for the log.
    private static func json(_ impression: Impression) -> String {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? encoder.encode(impression)).map { String(decoding: $0, as: UTF8.self) } ?? "\(impression)"
    }
}
