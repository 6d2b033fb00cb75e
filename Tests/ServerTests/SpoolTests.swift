import Foundation
import Testing

@testable import Server

@Suite("Spool files")
struct SpoolTests {
    @Test("a torn last line left by a crash is closed at start, skipped on replay, and later events stay readable")
    func tornWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-spool-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let spool = try Spool(directory: folder)
            try spool.append([FeedbackEvent.sample("a")])
        }
        // Simulate a crash in the middle of the next write: half a JSON line, no newline.
        let active = folder.appendingPathComponent("active.jsonl")
        let handle = try FileHandle(forWritingTo: active)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"eventID":"torn","requ"#.utf8))
        try handle.close()

        let spool = try Spool(directory: folder)
        try spool.append([FeedbackEvent.sample("b"), FeedbackEvent.sample("c")])
        let segments = try spool.sealAndListSegments()
        #expect(segments.map(\.lastPathComponent) == ["segment-0000000001.jsonl"])
        let (events, skipped) = try Spool.read(segments[0])
        #expect(events.map(\.eventID) == ["a", "b", "c"])
        #expect(skipped == 1)
        #expect(events[0] == FeedbackEvent.sample("a"), "the timestamp survives the round trip exactly (it is part of the dedup key)")
        spool.remove(segments[0])
        #expect(!spool.hasPending)
    }
}
