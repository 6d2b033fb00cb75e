import ServiceLifecycle
import Storage

/// The server's own bandit allocator: runs `AllocationScheduler` passes (every running bandit
/// experiment whose allocation is older than its update_interval gets an update) until the
/// server shuts down. The new weights reach every server through NOTIFY and the reloader.
struct AllocatorService: Service {
    let scheduler: AllocationScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await scheduler.run()
        }
    }
}
