import Logging
import Synchronization
import Testing

@testable import Server

/// Metadata set on the wrapped logger reaches the log output only when something is logged,
/// merged as swift-log merges it (a message's own metadata wins), and the handler underneath
/// sees no metadata write per request.
@Suite("Deferred logger metadata")
struct DeferredMetadataLogHandlerTests {
    final class Box: Sendable {
        let events = Mutex<[LogEvent]>([])
        let metadataWrites = Atomic<Int>(0)
    }

    /// swift-log's LogHandler protocol, recording what reaches it (it stands in for StreamLogHandler).
    struct Recorder: LogHandler {
        let box: Box
        var metadata: Logger.Metadata = ["service": "abctl"]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set {
                metadata[key] = newValue
                box.metadataWrites.add(1, ordering: .relaxed)
            }
        }

        func log(event: LogEvent) {
            var event = event
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
            box.events.withLock { $0.append(event) }
        }
    }

    @Test("request metadata appears on logged lines, explicit metadata wins, the base handler sees no writes")
    func mergesOnLog() throws {
        let box = Box()
        var logger = Logger(label: "test") { _ in DeferredMetadataLogHandler(wrapping: Recorder(box: box)) }
        logger[metadataKey: "hb.request.id"] = "r1"
        logger[metadataKey: "shadowed"] = "request"
        logger.info("hello", metadata: ["shadowed": "message"])
        #expect(box.metadataWrites.load(ordering: .relaxed) == 0)
        let events = box.events.withLock { $0 }
        #expect(events.count == 1)
        let metadata = try #require(events.first?.metadata)
        #expect(metadata == ["hb.request.id": "r1", "shadowed": "message", "service": "abctl"])
        #expect(logger[metadataKey: "hb.request.id"] == "r1")
        #expect(logger[metadataKey: "service"] == "abctl")
        #expect(logger.handler.metadata.count == 3)
    }

    @Test("removing a key the base handler holds removes it from the output")
    func removal() throws {
        let box = Box()
        var logger = Logger(label: "test") { _ in DeferredMetadataLogHandler(wrapping: Recorder(box: box)) }
        logger[metadataKey: "service"] = nil
        logger.info("hello")
        #expect(try #require(box.events.withLock { $0 }.first?.metadata).isEmpty)
    }
}
