import Foundation
import PostgresClient
import Testing

@testable import Server

/// After an outage the event spool drains even under steady traffic: once the replayer
/// reaches PostgreSQL, new batches are committed directly instead of joining the spool.
@Suite("The event spool drains under steady traffic")
struct SpoolDrainTests {
    @Test("once a replay pass commits, new batches skip the spool even while it still holds events")
    func directCommitsResumeAfterAReplay() async throws {
        try await ServerFixture.with { fixture in
            let spool = try Spool(directory: fixture.spoolDirectory)
            try await spool.append([FeedbackEvent.sample("left-by-a-previous-run")])
            let writer = FeedbackWriter(testing: PostgresConnectionPool(conninfo: fixture.conninfo, size: 2), spool: spool)
            // At start a previous run's events wait: a new batch joins them.
            #expect(try await writer.store([.sample("a")]) == .spooled)
            let replayer = SpoolReplayer(writer: writer)
            try await replayer.replayOnce()
            // A batch spooled while that pass ran waits for the next one...
            try await spool.append([.sample("b")])
            #expect(spool.hasPending)
            // ...and does not hold back the next batch, which is committed at once.
            #expect(try await writer.store([.sample("c")]) == .committed(inserted: 1))
            try await replayer.replayOnce()
            #expect(!spool.hasPending)
            let stored = try fixture.connection().query("SELECT event_id FROM feedback ORDER BY event_id").map { try $0.decode(String.self, at: 0) }
            #expect(stored == ["a", "b", "c", "left-by-a-previous-run"])
        }
    }
}
