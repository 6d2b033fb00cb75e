import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Replays the spool into PostgreSQL, oldest segment first, whenever it holds events and
/// PostgreSQL answers; a segment is deleted only after its events are committed.
struct SpoolReplayer<Table: DurableEventTable>: Service {
    let writer: EventWriter<Table>
    /// Events per transaction when replaying.
    var chunkSize = 5000
    var idleInterval: Duration = .milliseconds(200)
    var retryInterval: Duration = .seconds(1)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var pause = idleInterval
            if writer.spool.hasPending {
                do {
                    try await replayOnce()
                } catch {
                    writer.logger.info("Spool replay waits for PostgreSQL", metadata: ["error": "\(error)"])
                    pause = retryInterval
                }
            }
            try? await Task.sleep(for: pause)
        }
    }

    /// Seals the active spool file and replays every segment, then lets the writer commit
    /// new batches directly again; throws when PostgreSQL fails.
    func replayOnce() async throws {
        for segment in try writer.spool.sealAndListSegments() {
            let contents = try FileSpool<Table.Event>.read(segment)
            let events = contents.records
            var index = 0
            while index < events.count {
                let chunk = Array(events[index..<min(events.count, index + chunkSize)])
                let inserted = try await writer.pool.withConnection { db in try Table.insert(chunk, on: db) }
                writer.metrics.eventsReplayed.add(inserted, ordering: .relaxed)
                index += chunk.count
            }
            try writer.spool.remove(segment, keeping: contents.unreadable)
            if !contents.unreadable.isEmpty {
                writer.logger.warning(
                    "Moved unreadable spool lines aside (a write torn by a crash, never acknowledged, or a record this version cannot read)",
                    metadata: [
                        "segment": "\(segment.lastPathComponent)", "lines": "\(contents.unreadable.count)",
                        "file": "\(writer.spool.directory.appendingPathComponent(FileSpool<Table.Event>.unreadableFileName).path)",
                    ]
                )
            }
            writer.logger.info("Replayed spool segment", metadata: ["segment": "\(segment.lastPathComponent)", "events": "\(events.count)"])
        }
        writer.postgresAnswered()
    }
}
