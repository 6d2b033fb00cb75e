import Foundation
import Logging
import PostgresClient
import ServiceLifecycle
import Storage

/// The decision service without HTTP: the experiment snapshot, the arms' strategies, the
/// impression buffer and the durable feedback writer, with the services that keep them
/// flowing. `abctl serve` puts HTTP routes in front of it; `abctl demo` and tests drive it
/// in process through the same code (only JSON parsing is skipped).
public final class DecisionCore: Sendable {
    let pool: PostgresConnectionPool
    let metrics: ServerMetrics
    let snapshots: SnapshotStore
    let strategies: StrategyRanker
    let spool: Spool
    /// Impressions written while PostgreSQL was unreachable, until they are replayed.
    let impressionSpool: ImpressionSpool
    /// Impressions PostgreSQL refused, kept next to the impression spool.
    let rejectedImpressions: ImpressionDeadLetter
    let writer: FeedbackWriter
    /// The durable path of outcome events (POST /v1/outcomes), with its own spool.
    let outcomeWriter: OutcomeWriter
    /// Checks that posted events answer decisions this service made.
    let requests: RequestCheck
    let impressions: ImpressionBuffer
    let decisions: DecisionService
    let useStrategies: Bool
    let logger: Logger
    /// API keys verified so far; emptied on every reload.
    let keys: KeyCache
    /// The writer, replayer, reloader and (when configured) the allocator; run them (a ServiceGroup) while deciding.
    public let services: [any Service]

    /// Loads experiments and strategies from PostgreSQL and opens the spool. `ranker`
    /// replaces the arms' strategies (tests); nil serves each arm's own.
    public init(configuration: ServerConfiguration, ranker: (any Ranker)? = nil, logger: Logger) async throws {
        let pool = PostgresConnectionPool(conninfo: configuration.conninfo, size: configuration.poolSize)
        let metrics = ServerMetrics()
        let (snapshot, strategies) = try await pool.withConnection { db in
            let snapshot = try ExperimentSnapshot.load(from: db, logger: logger)
            let strategies = StrategyRanker(models: configuration.models, logger: logger)
            if ranker == nil { strategies.synchronise(with: snapshot, db: db) }
            return (snapshot, strategies)
        }
        let snapshots = SnapshotStore(snapshot)
        let spool = try Spool(directory: configuration.spoolDirectory)
        // Decisions made here, known to the events path before their impressions are stored;
        // those whose impressions a previous run left in the impression spool count too.
        let recent = RecentRequests()
        let impressionSpool = try ImpressionSpool(directory: configuration.spoolDirectory.appendingPathComponent("impressions"))
        for impression in impressionSpool.pendingRecords() { recent.remember(impression.requestID, unit: impression.unitID) }
        let rejectedImpressions = ImpressionDeadLetter(file: configuration.spoolDirectory.appendingPathComponent("rejected-impressions.jsonl"))
        let writer = FeedbackWriter(
            pool: pool,
            spool: spool,
            metrics: metrics,
            maxInFlight: configuration.maxEventsInFlight,
            maxSpoolBytes: configuration.maxSpoolBytes,
            logger: logger
        )
        let outcomeWriter = OutcomeWriter(
            pool: pool,
            spool: try FileSpool<OutcomeEvent>(directory: configuration.spoolDirectory.appendingPathComponent("outcomes")),
            metrics: metrics,
            maxInFlight: configuration.maxEventsInFlight,
            maxSpoolBytes: configuration.maxSpoolBytes,
            logger: logger
        )
        let impressions = ImpressionBuffer(capacity: configuration.maxBufferedImpressions, recent: recent)
        self.pool = pool
        self.metrics = metrics
        self.snapshots = snapshots
        self.strategies = strategies
        self.spool = spool
        self.impressionSpool = impressionSpool
        self.rejectedImpressions = rejectedImpressions
        self.writer = writer
        self.outcomeWriter = outcomeWriter
        self.requests = RequestCheck(recent: recent, pool: pool, logger: logger)
        self.impressions = impressions
        self.useStrategies = ranker == nil
        let keys = KeyCache(pool: pool)
        self.keys = keys
        self.logger = logger
        self.decisions = DecisionService(
            snapshots: snapshots,
            ranker: ranker ?? strategies,
            sticky: StickyAssignments(pool: pool),
            impressions: impressions,
            metrics: metrics,
            logger: logger
        )
        let useStrategies = ranker == nil
        // Services stop in reverse order after the server: the reloader, then the replayer,
        // then the impression writer's final flush.
        var services: [any Service] = [
            ImpressionWriter(
                buffer: impressions,
                pool: pool,
                metrics: metrics,
                interval: configuration.impressionFlushInterval,
                logger: logger,
                spool: impressionSpool,
                deadLetter: rejectedImpressions,
                maxSpoolBytes: configuration.maxSpoolBytes
            ),
            SpoolReplayer(writer: writer),
            SpoolReplayer(writer: outcomeWriter),
            ExperimentReloader(
                conninfo: configuration.conninfo,
                store: snapshots,
                metrics: metrics,
                pollInterval: configuration.reloadPollInterval,
                logger: logger,
                onReload: { snapshot, db in
                    keys.clear()
                    if useStrategies { strategies.synchronise(with: snapshot, db: db) }
                }
            ),
        ]
        if configuration.runsAllocator {
            let scheduler = AllocationScheduler(pool: pool, pollInterval: configuration.allocatorPollInterval, logger: logger)
            let learner = ContextualLearnerScheduler(pool: pool, logger: logger)
            services.append(AllocatorService(scheduler: scheduler, learner: learner, pollInterval: configuration.allocatorPollInterval))
        }
        if let interval = configuration.aggregateRefreshInterval {
            services.append(AggregateRefreshService(scheduler: AggregateRefreshScheduler(pool: pool, interval: interval, logger: logger)))
        }
        self.services = services
    }

    /// One decision, exactly as POST /v1/decisions makes it; `now` stamps the impression
    /// (a simulation passes its own clock), with the text checks a body gets when it is read.
    /// Where HTTP would answer 503 for a full impression buffer, an in-process caller (a
    /// simulation running no writer) waits for a flush instead.
    public func decide(_ request: DecisionRequest, now: Date = Date()) async throws -> DecisionResponse {
        try request.validateText()
        if impressions.count >= impressions.capacity { try await flushImpressions() }
        return try await decisions.decide(request, now: now)
    }

    /// Stores checked feedback events durably (PostgreSQL, else the spool) and feeds them to
    /// the strategies' online update, as POST /v1/events does after validation.
    public func record(_ events: [FeedbackEvent]) async throws -> FeedbackWriter.Outcome {
        let outcome = try await writer.store(events)
        strategies.observe(events)
        return outcome
    }

    /// Stores checked outcome events durably (PostgreSQL, else the spool), as POST
    /// /v1/outcomes does after validation.
    public func record(outcomes events: [OutcomeEvent]) async throws -> OutcomeWriter.Outcome {
        try await outcomeWriter.store(events)
    }

    /// Writes every buffered impression now (the writer service does it every 100 ms), after
    /// the sticky arms still being recorded; for a caller that runs no services, e.g. a
    /// simulation that allocates between periods, or `abctl decide` before it exits.
    public func flushImpressions() async throws {
        await decisions.stickyWrites.drained()
        let writer = ImpressionWriter(
            buffer: impressions,
            pool: pool,
            metrics: metrics,
            interval: .zero,
            logger: logger,
            deadLetter: rejectedImpressions
        )
        while impressions.count > 0 {
            guard await writer.flushOnce() else {
                throw StorageError("Impressions could not be written to PostgreSQL", advice: "Check that the database is reachable")
            }
        }
    }

    /// Reloads experiments, allocations and models now instead of waiting for the reloader.
    public func reload() async throws {
        let snapshot = try await pool.withConnection { db in
            let snapshot = try ExperimentSnapshot.load(from: db, logger: self.logger)
            if self.useStrategies { self.strategies.synchronise(with: snapshot, db: db) }
            return snapshot
        }
        snapshots.replace(with: snapshot)
    }
}
