import Foundation
import Hummingbird
import PostgresClient

/// GET /healthz (the process answers, with PostgreSQL and spool state), GET /readyz (503
/// while PostgreSQL is unreachable) and GET /metrics (Prometheus text).
struct HealthController<Context: RequestContext>: Sendable {
    let pool: PostgresConnectionPool
    let spool: Spool
    let impressionSpool: ImpressionSpool
    let writer: FeedbackWriter
    let impressions: ImpressionBuffer
    let snapshots: SnapshotStore
    let metrics: ServerMetrics

    struct Health: ResponseEncodable {
        var status: String
        var postgres: Bool
        var spoolBytes: Int
        var impressionSpoolBytes: Int
        /// Bytes set aside in the spools' unreadable.jsonl files, never replayed (see docs/operations.md).
        var spoolUnreadableBytes: Int
        var impressionSpoolUnreadableBytes: Int
        var bufferedImpressions: Int
        /// Impressions PostgreSQL refused since the server started (in the dead-letter file).
        var rejectedImpressions: Int
        var experiments: Int

        enum CodingKeys: String, CodingKey {
            case status, postgres, experiments
            case spoolBytes = "spool_bytes"
            case impressionSpoolBytes = "impression_spool_bytes"
            case spoolUnreadableBytes = "spool_unreadable_bytes"
            case impressionSpoolUnreadableBytes = "impression_spool_unreadable_bytes"
            case bufferedImpressions = "buffered_impressions"
            case rejectedImpressions = "rejected_impressions"
        }
    }

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/healthz") { _, _ in await health() }
        routes.get("/readyz") { _, _ in
            let health = await health()
            return EditedResponse(status: health.postgres ? .ok : .serviceUnavailable, response: health)
        }
        routes.get("/metrics") { _, _ in
            let text = metrics.render(gauges: [
                ("abctl_spool_bytes", "Bytes of acknowledged events waiting in the local spool.", spool.pendingBytes),
                (
                    "abctl_impression_spool_bytes", "Bytes of impressions waiting in the local spool while PostgreSQL was unreachable.",
                    impressionSpool.pendingBytes
                ),
                (
                    "abctl_spool_unreadable_bytes", "Bytes of spooled event lines set aside in unreadable.jsonl, not replayed; look at them.",
                    spool.unreadableBytes
                ),
                (
                    "abctl_impression_spool_unreadable_bytes", "Bytes of spooled impression lines set aside in unreadable.jsonl, not replayed.",
                    impressionSpool.unreadableBytes
                ),
                ("abctl_buffered_impressions", "Impressions waiting to be written.", impressions.count),
                ("abctl_events_in_flight", "Events being written now.", writer.eventsInFlight),
                ("abctl_experiments_loaded", "Experiments in the decision snapshot.", snapshots.current.experiments.count),
            ])
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        return routes
    }

    func health() async -> Health {
        let reachable = (try? await pool.withConnection { db in try db.query("SELECT 1").count == 1 }) ?? false
        let spoolBytes = spool.pendingBytes
        let impressionSpoolBytes = impressionSpool.pendingBytes
        return Health(
            status: reachable && spoolBytes == 0 && impressionSpoolBytes == 0 ? "ok" : "degraded",
            postgres: reachable,
            spoolBytes: spoolBytes,
            impressionSpoolBytes: impressionSpoolBytes,
            spoolUnreadableBytes: spool.unreadableBytes,
            impressionSpoolUnreadableBytes: impressionSpool.unreadableBytes,
            bufferedImpressions: impressions.count,
            rejectedImpressions: metrics.impressionsRejected.load(ordering: .relaxed),
            experiments: snapshots.current.experiments.count
        )
    }
}
