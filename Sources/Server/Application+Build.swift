import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresClient
import ServiceLifecycle
import Storage

/// Builds the decision service exactly as `abctl serve` runs it (tests build the same app):
/// loads experiments and the ranker from PostgreSQL, opens the spool, and wires the HTTP
/// routes with the writer, replayer and reloader services. `ranker` defaults to the arms'
/// own strategies (`StrategyRanker`); `onServerRunning` gets the bound port.
public func buildApplication(
    configuration: ServerConfiguration,
    ranker: (any Ranker)? = nil,
    logger: Logger = Logger(label: "abctl.serve"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let core = try await DecisionCore(configuration: configuration, ranker: ranker, logger: logger)
    let router = buildRouter(
        servesHello: configuration.servesBenchmarkHello,
        keys: configuration.requiresKeys ? core.keys : nil,
        metrics: core.metrics,
        events: EventsController<BasicRequestContext>(
            writer: core.writer,
            requests: core.requests,
            metrics: core.metrics,
            maxEvents: configuration.maxEventsPerBatch,
            maxBodyBytes: configuration.maxBodyBytes,
            onAccepted: { core.strategies.observe($0) }
        ),
        outcomes: OutcomesController<BasicRequestContext>(
            writer: core.outcomeWriter,
            metrics: core.metrics,
            maxEvents: configuration.maxEventsPerBatch,
            maxBodyBytes: configuration.maxBodyBytes
        ),
        decisions: DecisionsController(service: core.decisions, maxBodyBytes: configuration.maxBodyBytes),
        health: HealthController(
            pool: core.pool,
            spool: core.spool,
            impressionSpool: core.impressionSpool,
            writer: core.writer,
            impressions: core.impressions,
            snapshots: core.snapshots,
            metrics: core.metrics
        )
    )
    // The built-in dashboard, read through the read-only role (sql/0004_dashboards.sql).
    router.add(middleware: DashboardNotFound())
    router.addRoutes(DashboardController<BasicRequestContext>(pool: core.pool).routes)
    let fastPath = DecisionFastPath.Shared(
        service: core.decisions,
        keys: configuration.requiresKeys ? core.keys : nil,
        metrics: core.metrics,
        maxBodyBytes: configuration.maxBodyBytes,
        serverName: "abctl"
    )
    let answersOnEventLoop = configuration.answersDecisionsOnEventLoop
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: answersOnEventLoop ? [DecisionFastPath(fastPath)] : [])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: fastPath.serverName),
        services: core.services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger.deferringMetadata
    )
}

/// The routes of the service: events, outcomes, decisions, health and metrics.
func buildRouter<Context: RequestContext>(
    servesHello: Bool = false,
    keys: KeyCache?,
    metrics: ServerMetrics,
    events: EventsController<Context>,
    outcomes: OutcomesController<Context>,
    decisions: DecisionsController<Context>,
    health: HealthController<Context>
) -> Router<Context> {
    let router = Router(context: Context.self)
    // Benchmark only, so registered ahead of every middleware and left out of the OpenAPI document.
    if servesHello { router.get("/bench/hello") { _, _ in "hello" } }
    // Middleware applies to the routes added after it. Timing first, so refusals are timed too.
    router.add(middleware: RequestTiming(durations: metrics.requests))
    if let keys { router.add(middleware: KeyCheck(cache: keys)) }
    router.addRoutes(events.routes)
    router.addRoutes(outcomes.routes)
    router.addRoutes(decisions.routes)
    router.addRoutes(health.routes)
    router.addRoutes(OpenAPIController<Context>().routes)
    return router
}
