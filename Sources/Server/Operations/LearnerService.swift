import ServiceLifecycle
import Storage

/// The contextual learner as a service of `abctl serve`, stopped on graceful shutdown.
struct LearnerService: Service {
    let scheduler: ContextualLearnerScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await scheduler.run()
        }
    }
}
