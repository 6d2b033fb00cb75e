import Foundation
import PostgresClient
import Testing

@testable import Server

/// Fault injection on the acknowledgement path of POST /v1/events, without a server:
/// PostgreSQL refuses connections and the spool's disk fails, then recovers.
@Suite("FeedbackWriter under a PostgreSQL outage and a failing disk")
struct FeedbackWriterFaultTests {
    @Test("a batch the failing spool cannot hold is refused with 503 and leaves nothing; the next one is spooled whole")
    func nothingIsAcknowledgedThatIsNotDurable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-writer-fault-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let disk = SpoolTests.FailingDisk()
        let spool = try Spool(directory: folder, io: disk.io)
        // Port 1 on the loopback: nothing listens, so every connection is refused at once.
        let writer = FeedbackWriter(
            testing: PostgresConnectionPool(conninfo: "postgresql://abctl@127.0.0.1:1/abctl?connect_timeout=2", size: 1),
            spool: spool
        )
        #expect(try await writer.store([.sample("a")]) == .spooled)

        disk.armed.withLock { $0 = .halfThenFull }
        let error = await #expect(throws: APIError.self) { try await writer.store([.sample("b"), .sample("c")]) }
        #expect(error?.status == .serviceUnavailable && error?.retryAfter != nil)

        disk.armed.withLock { $0 = .fsyncError }
        await #expect(throws: APIError.self) { try await writer.store([.sample("d")]) }

        #expect(try await writer.store([.sample("e")]) == .spooled)
        let contents = try spool.sealAndListSegments().map(Spool.read)
        #expect(contents.flatMap(\.records).map(\.eventID) == ["a", "e"], "exactly the acknowledged events, each whole")
        #expect(contents.allSatisfy { $0.unreadable.isEmpty })
    }
}
