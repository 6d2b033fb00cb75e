import Foundation
import Synchronization
import Testing

@testable import Server

@Suite("Spool files")
struct SpoolTests {
    @Test("a torn last line left by a crash is closed at start, moved aside on replay, and later events stay readable")
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
        let contents = try Spool.read(segments[0])
        #expect(contents.records.map(\.eventID) == ["a", "b", "c"])
        #expect(contents.unreadable == [Data(#"{"eventID":"torn","requ"#.utf8)])
        #expect(contents.records[0] == FeedbackEvent.sample("a"), "the timestamp survives the round trip exactly (it is part of the dedup key)")
        try spool.remove(segments[0], keeping: contents.unreadable)
        #expect(!spool.hasPending)
        #expect(try String(contentsOf: folder.appendingPathComponent("unreadable.jsonl"), encoding: .utf8) == #"{"eventID":"torn","requ"# + "\n")
    }

    /// Fault injection: the spool's writes and fsyncs fail on demand, the way a full disk
    /// (a short write, then ENOSPC) or a failing one (EIO on fsync) fails them.
    final class FailingDisk: Sendable {
        enum Fault: Sendable { case halfThenFull, full, fsyncError }
        let armed = Mutex<Fault?>(nil)

        var io: Spool.IO {
            Spool.IO(
                write: { descriptor, bytes in
                    switch self.armed.withLock({ $0 }) {
                    case .halfThenFull?:
                        // Half the batch reaches the disk; the spool's write of the rest finds it full.
                        self.armed.withLock { $0 = .full }
                        return Foundation.write(descriptor, bytes.baseAddress, bytes.count / 2)
                    case .full?:
                        self.armed.withLock { $0 = nil }
                        errno = ENOSPC
                        return -1
                    default:
                        return Foundation.write(descriptor, bytes.baseAddress, bytes.count)
                    }
                },
                fsync: { descriptor in
                    guard self.armed.withLock({ $0 }) == .fsyncError else { return Foundation.fsync(descriptor) }
                    self.armed.withLock { $0 = nil }
                    errno = EIO
                    return -1
                }
            )
        }
    }

    @Test(
        "a write that fails (a full disk part way, an fsync error) acknowledges nothing and leaves nothing behind",
        arguments: [FailingDisk.Fault.halfThenFull, .fsyncError]
    )
    func failedWritesLeaveNothing(fault: FailingDisk.Fault) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-spool-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let disk = FailingDisk()
        let spool = try Spool(directory: folder, io: disk.io)
        try spool.append([FeedbackEvent.sample("a")])
        let before = try Data(contentsOf: folder.appendingPathComponent("active.jsonl"))

        disk.armed.withLock { $0 = fault }
        #expect(throws: Spool.Failure.self) { try spool.append([FeedbackEvent.sample("b"), FeedbackEvent.sample("c")]) }
        #expect(disk.armed.withLock { $0 } == nil, "the fault was met")
        #expect(try Data(contentsOf: folder.appendingPathComponent("active.jsonl")) == before, "the failed append was cut back")
        #expect(spool.pendingBytes == before.count)

        try spool.append([FeedbackEvent.sample("d")])
        let contents = try Spool.read(try #require(try spool.sealAndListSegments().first))
        #expect(contents.records.map(\.eventID) == ["a", "d"], "the next append's record is whole")
        #expect(contents.unreadable.isEmpty)
    }

    @Test("a whole line this version cannot read is moved to unreadable.jsonl, not dropped with its segment")
    func unreadableLinesAreKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-spool-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spool = try Spool(directory: folder)
        try spool.append([FeedbackEvent.sample("a")])
        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("active.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"event":"from a later version"}"#.utf8 + [UInt8(ascii: "\n")]))
        try handle.close()
        try spool.append([FeedbackEvent.sample("b")])

        let segment = try #require(try spool.sealAndListSegments().first)
        let contents = try Spool.read(segment)
        #expect(contents.records.map(\.eventID) == ["a", "b"])
        #expect(spool.unreadableBytes == 0)
        try spool.remove(segment, keeping: contents.unreadable)
        // 32 bytes of JSON and a newline, shown by /healthz and /metrics.
        #expect(spool.unreadableBytes == 33)
        #expect(!FileManager.default.fileExists(atPath: segment.path))
        let kept = try String(contentsOf: folder.appendingPathComponent(Spool.unreadableFileName), encoding: .utf8)
        #expect(kept == #"{"event":"from a later version"}"# + "\n")
    }
}
