import Foundation

/// A task executor with a fixed number of its own threads. Tests that count threads run their
/// tasks here rather than on the shared cooperative pool, which other suites in the same test
/// process can keep busy with blocking calls (process launches, synchronous queries) for many
/// seconds at a time.
public final class DedicatedThreadsExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var running = 0

    /// Starts `threads` threads that run enqueued jobs until `shutdown()`.
    public init(threads: Int) {
        for _ in 0..<threads {
            Thread { [self] in work() }.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish once no job is left.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
