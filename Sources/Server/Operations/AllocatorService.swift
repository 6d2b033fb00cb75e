import ServiceLifecycle
import Storage

/// The server's own bandit allocator: runs `AllocationScheduler` passes (every running bandit
/// experiment whose allocation is older than its update_interval gets an update), then a
/// `ContextualLearnerScheduler` pass (every running contextual experiment whose model version
/// is older than its update_interval learns), every `pollInterval` seconds until the server
/// shuts down. One after the other, so the two never hold two pooled connections at once.
/// New weights and model versions reach every server through NOTIFY and the reloader.
struct AllocatorService: Service {
    let scheduler: AllocationScheduler
    let learner: ContextualLearnerScheduler
    let pollInterval: Double

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = await scheduler.runOnce()
                _ = await learner.runOnce()
                do {
                    try await Task.sleep(for: .seconds(pollInterval))
                } catch {
                    return  // cancelled while sleeping
                }
            }
        }
    }
}
