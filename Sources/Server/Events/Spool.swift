import Foundation
import Synchronization

/// The spool of acknowledged feedback events.
public typealias Spool = FileSpool<FeedbackEvent>

/// A local spool: records that could not reach PostgreSQL, as JSON lines in files fsynced
/// before the caller goes on (for events: before the client is answered). New records go to
/// `active.jsonl`; a replayer seals it into a numbered segment and replays segments oldest
/// first, deleting each once its records are committed. Replays are safe to repeat: the
/// table's key dedups (feedback: event id and time; impressions: request id and time).
///
/// A failed append (a full disk, an I/O error) acknowledges nothing and leaves nothing: the
/// file is cut back to where the append began, so half a line cannot run into the next
/// append's first record. Lines of a segment that do not decode are moved to
/// `unreadable.jsonl` before the segment is deleted, never dropped.
public final class FileSpool<Record: Codable & Sendable>: Sendable {
    /// Why the spool could not take records.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The records of a sealed segment, and the lines that did not decode.
    struct Segment {
        var records: [Record]
        var unreadable: [Data]
    }

    /// The system calls that put bytes on disk; tests swap in failing ones (fault injection).
    struct IO: Sendable {
        var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int = { Foundation.write($0, $1.baseAddress, $1.count) }
        var fsync: @Sendable (_ descriptor: Int32) -> Int32 = { Foundation.fsync($0) }
    }

    /// The file unreadable lines of replayed segments are moved to.
    static var unreadableFileName: String { "unreadable.jsonl" }

    public let directory: URL
    private let io: IO
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "abctl.spool")

    private struct State {
        /// The active file, or -1 when it could not be reopened after sealing (retried on append).
        var descriptor: Int32
        /// The active file's length: where the next append starts.
        var activeBytes: Int
        var sealedBytes: Int
        var nextSegment: Int
    }

    /// Opens (creating if needed) the spool in `directory`, picking up segments a previous
    /// run left behind.
    public convenience init(directory: URL) throws {
        try self.init(directory: directory, io: IO())
    }

    init(directory: URL, io: IO) throws {
        self.directory = directory
        self.io = io
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let active = directory.appendingPathComponent("active.jsonl").path
        let descriptor = try Self.openActive(in: directory)
        var size = Int(lseek(descriptor, 0, SEEK_END))
        // A run killed mid-write may have left half a line (never acknowledged): end it, so
        // the next line starts clean and the fragment is moved aside on replay.
        if size > 0, try Self.lastByte(of: active) != UInt8(ascii: "\n") {
            try Self.writeAll(descriptor, Array("\n".utf8), io: io)
            size += 1
        }
        // The folder (and, had it to be created, its parent) must hold the new names on disk
        // before anything written into them is acknowledged.
        Self.syncDirectory(directory)
        Self.syncDirectory(directory.deletingLastPathComponent())
        let segments = Self.segments(in: directory)
        let sealed = segments.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
        let next = (segments.last.flatMap { Self.segmentNumber($0) } ?? 0) + 1
        state = Mutex(State(descriptor: descriptor, activeBytes: size, sealedBytes: sealed, nextSegment: next))
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }

    /// Bytes waiting to be replayed.
    public var pendingBytes: Int { state.withLock { $0.activeBytes + $0.sealedBytes } }

    /// Bytes of lines set aside in `unreadable.jsonl` (torn writes, records of another
    /// version), which an operator should look at; 0 when there are none.
    public var unreadableBytes: Int {
        var info = stat()
        guard stat(directory.appendingPathComponent(Self.unreadableFileName).path, &info) == 0 else { return 0 }
        return Int(info.st_size)
    }

    /// Whether anything waits to be replayed.
    public var hasPending: Bool { pendingBytes > 0 }

    /// Appends `records` on the spool's own queue (fsync blocks, so never on Swift's
    /// cooperative pool); when this returns they survive a crash.
    public func append(_ records: [Record]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try self.append(records) }) }
        }
    }

    /// Appends `records` as JSON lines and fsyncs, blocking the calling thread. When it
    /// throws, none of them is in the file.
    public func append(_ records: [Record]) throws {
        let encoder = Self.encoder()
        var bytes: [UInt8] = []
        for record in records {
            bytes += try encoder.encode(record)
            bytes.append(UInt8(ascii: "\n"))
        }
        try state.withLock { state in
            if state.descriptor < 0 { state.descriptor = try Self.openActive(in: directory) }
            do {
                try Self.writeAll(state.descriptor, bytes, io: io)
                guard io.fsync(state.descriptor) == 0 else {
                    throw Failure(description: "fsync of the spool failed: \(String(cString: strerror(errno)))")
                }
            } catch {
                // Cut back what part of the batch was written: it is not acknowledged, and a
                // half line would swallow the first record of the next append. Should even
                // that fail, end the fragment with a newline, so it stays a line of its own.
                if ftruncate(state.descriptor, off_t(state.activeBytes)) != 0 {
                    state.activeBytes = Int(lseek(state.descriptor, 0, SEEK_END))
                    if (try? Self.writeAll(state.descriptor, Array("\n".utf8), io: io)) != nil { state.activeBytes += 1 }
                }
                throw error
            }
            state.activeBytes += bytes.count
        }
    }

    /// Seals the active file into the next segment (if it holds anything) and returns every
    /// segment, oldest first.
    func sealAndListSegments() throws -> [URL] {
        try state.withLock { state in
            if state.activeBytes > 0 {
                let active = directory.appendingPathComponent("active.jsonl")
                let segment = directory.appendingPathComponent(String(format: "segment-%010d.jsonl", state.nextSegment))
                guard rename(active.path, segment.path) == 0 else {
                    throw Failure(description: "Cannot seal the spool segment: \(String(cString: strerror(errno)))")
                }
                close(state.descriptor)
                state.descriptor = -1
                state.sealedBytes += state.activeBytes
                state.activeBytes = 0
                state.nextSegment += 1
                // Should the new file not open, the next append tries again.
                state.descriptor = try Self.openActive(in: directory)
                Self.syncDirectory(directory)
            }
        }
        return Self.segments(in: directory)
    }

    /// Deletes a replayed segment, first moving its `unreadable` lines to `unreadable.jsonl`
    /// (fsynced); throws, keeping the segment, when they cannot be moved.
    func remove(_ segment: URL, keeping unreadable: [Data]) throws {
        if !unreadable.isEmpty {
            let descriptor = open(directory.appendingPathComponent(Self.unreadableFileName).path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw Failure(description: "Cannot open \(Self.unreadableFileName): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            try Self.writeAll(descriptor, Array(unreadable.map { $0 + [UInt8(ascii: "\n")] }.joined()), io: io)
            guard io.fsync(descriptor) == 0 else {
                throw Failure(description: "fsync of \(Self.unreadableFileName) failed: \(String(cString: strerror(errno)))")
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: segment.path)[.size] as? Int) ?? 0
        try? FileManager.default.removeItem(at: segment)
        Self.syncDirectory(directory)
        state.withLock { $0.sealedBytes = max(0, $0.sealedBytes - size) }
    }

    /// The records of a segment, in order, and the lines that do not decode (a write torn
    /// by a crash, or a record this version cannot read).
    static func read(_ segment: URL) throws -> Segment {
        let data = try Data(contentsOf: segment)
        let decoder = Self.decoder()
        var result = Segment(records: [], unreadable: [])
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? decoder.decode(Record.self, from: Data(line)) {
                result.records.append(record)
            } else {
                result.unreadable.append(Data(line))
            }
        }
        return result
    }

    /// Every record waiting to be replayed (sealed segments, then the active file), oldest first.
    func pendingRecords() -> [Record] {
        let files = Self.segments(in: directory) + [directory.appendingPathComponent("active.jsonl")]
        return state.withLock { _ in files.flatMap { (try? Self.read($0).records) ?? [] } }
    }

    // Non-finite numbers (a strategy's NaN score) are spelled out rather than refused.
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    private static func segments(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("segment-") && $0.hasSuffix(".jsonl") }.sorted().map { directory.appendingPathComponent($0) }
    }

    private static func segmentNumber(_ url: URL) -> Int? {
        Int(url.deletingPathExtension().lastPathComponent.dropFirst("segment-".count))
    }

    private static func lastByte(of path: String) throws -> UInt8? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        guard end > 0 else { return nil }
        try handle.seek(toOffset: end - 1)
        return try handle.read(upToCount: 1)?.first
    }

    private static func openActive(in directory: URL) throws -> Int32 {
        let path = directory.appendingPathComponent("active.jsonl").path
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "Cannot open the spool file \(path): \(String(cString: strerror(errno)))") }
        return descriptor
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], io: IO) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { io.write(descriptor, $0) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "Writing the spool failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    private static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
