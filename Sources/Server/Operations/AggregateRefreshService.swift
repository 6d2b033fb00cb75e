import ServiceLifecycle
import Storage

/// The server's refresh of the maintained aggregates (sql/0015), on a timer, until the
/// server shuts down; /dashboard, `abctl report` and the allocator read what it keeps.
struct AggregateRefreshService: Service {
    let scheduler: AggregateRefreshScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await scheduler.run()
        }
    }
}
