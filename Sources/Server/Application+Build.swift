import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresClient
import ServiceLifecycle
import Storage

/// Builds the decision service exactly as `abctl serve` runs it (tests build the same app):
/// loads experiments and the ranker from PostgreSQL, opens the spool, and wires the HTTP
/// routes with the writer, replayer and reloader services. `ranker` defaults to
/// `PopularityRanker` loaded from the database; `onServerRunning` gets the bound port.
public func buildApplication(
    configuration: ServerConfiguration,
    ranker: (any Ranker)? = nil,
    logger: Logger = Logger(label: "abctl.serve"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let pool = PostgresConnectionPool(conninfo: configuration.conninfo, size: configuration.poolSize)
    let metrics = ServerMetrics()
    let (snapshot, loadedRanker) = try await pool.withConnection { db in
        let snapshot = try ExperimentSnapshot.load(from: db, logger: logger)
        return (snapshot, ranker == nil ? try PopularityRanker.load(from: db) : nil)
    }
    let snapshots = SnapshotStore(snapshot)
    let spool = try Spool(directory: configuration.spoolDirectory)
    let writer = FeedbackWriter(
        pool: pool,
        spool: spool,
        metrics: metrics,
        maxInFlight: configuration.maxEventsInFlight,
        maxSpoolBytes: configuration.maxSpoolBytes,
        logger: logger
    )
    let impressions = ImpressionBuffer(capacity: configuration.maxBufferedImpressions, metrics: metrics)
    let decisions = DecisionService(
        snapshots: snapshots,
        ranker: ranker ?? loadedRanker ?? PopularityRanker(counts: [:]),
        sticky: StickyAssignments(pool: pool),
        impressions: impressions,
        metrics: metrics,
        logger: logger
    )

    let router = buildRouter(
        events: EventsController<BasicRequestContext>(
            writer: writer,
            metrics: metrics,
            maxEvents: configuration.maxEventsPerBatch,
            maxBodyBytes: configuration.maxBodyBytes
        ),
        decisions: DecisionsController(service: decisions, maxBodyBytes: configuration.maxBodyBytes),
        health: HealthController(pool: pool, spool: spool, writer: writer, impressions: impressions, snapshots: snapshots, metrics: metrics)
    )
    router.addRoutes(DashboardController<BasicRequestContext>(pool: pool).routes)
    // Services stop in reverse order after the server: the reloader, then the replayer,
    // then the impression writer's final flush.
    let services: [any Service] = [
        ImpressionWriter(buffer: impressions, pool: pool, metrics: metrics, interval: configuration.impressionFlushInterval, logger: logger),
        SpoolReplayer(writer: writer),
        ExperimentReloader(
            conninfo: configuration.conninfo,
            store: snapshots,
            metrics: metrics,
            pollInterval: configuration.reloadPollInterval,
            logger: logger
        ),
    ]
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "abctl"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// The routes of the service: events, decisions, health and metrics.
func buildRouter<Context: RequestContext>(
    events: EventsController<Context>,
    decisions: DecisionsController<Context>,
    health: HealthController<Context>
) -> Router<Context> {
    let router = Router(context: Context.self)
    router.addRoutes(events.routes)
    router.addRoutes(decisions.routes)
    router.addRoutes(health.routes)
    return router
}
