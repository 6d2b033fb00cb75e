import Synchronization
import Testing

@testable import Server

/// `PendingWrites.drained()` returns only once every begun write has ended.
@Suite struct PendingWritesTests {
    @Test func drainedReturnsAtOnceWhenNothingRuns() async {
        let writes = PendingWrites()
        await writes.drained()
        writes.begin()
        writes.end()
        await writes.drained()
    }

    @Test func drainedWaitsForTheLastOfSeveralWrites() async throws {
        let writes = PendingWrites()
        let log = Mutex<[String]>([])
        writes.begin()
        writes.begin()
        let waiter = Task {
            await writes.drained()
            log.withLock { $0.append("drained") }
        }
        // Give the waiter ample time to return early if it were going to.
        try await Task.sleep(for: .milliseconds(100))
        log.withLock { $0.append("first ended") }
        writes.end()
        try await Task.sleep(for: .milliseconds(100))
        log.withLock { $0.append("second ended") }
        writes.end()
        await waiter.value
        #expect(log.withLock { $0 } == ["first ended", "second ended", "drained"])
    }
}
