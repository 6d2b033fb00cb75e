import Foundation
import Synchronization

/// The spool of acknowledged feedback events.
public typealias Spool = FileSpool<FeedbackEvent>

/// A local spool: records that could not reach PostgreSQL, as JSON lines in files fsynced
/// before the caller goes on (for events: before the client is answered). New records go to
/// `active.jsonl`; a replayer seals it into a numbered segment and replays segments oldest
/// first, deleting each once its records are committed. Replays are safe to repeat: the
/// table's key dedups (feedback: event id and time; impressions: request id and time).
public final class FileSpool<Record: Codable & Sendable>: Sendable {
    /// Why the spool could not take records.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let directory: URL
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "abctl.spool")

    private struct State {
        var descriptor: Int32
        var activeBytes: Int
        var sealedBytes: Int
        var nextSegment: Int
    }

    /// Opens (creating if needed) the spool in `directory`, picking up segments a previous
    /// run left behind.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let active = directory.appendingPathComponent("active.jsonl").path
        let descriptor = open(active, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "Cannot open the spool file \(active): \(String(cString: strerror(errno)))") }
        var size = Int(lseek(descriptor, 0, SEEK_END))
        // A run killed mid-write may have left half a line (never acknowledged): end it, so
        // the next line starts clean and the fragment is skipped on replay.
        if size > 0, try Self.lastByte(of: active) != UInt8(ascii: "\n") {
            try Self.writeAll(descriptor, Array("\n".utf8))
            size += 1
        }
        let segments = Self.segments(in: directory)
        let sealed = segments.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
        let next = (segments.last.flatMap { Self.segmentNumber($0) } ?? 0) + 1
        state = Mutex(State(descriptor: descriptor, activeBytes: size, sealedBytes: sealed, nextSegment: next))
    }

    deinit {
        _ = state.withLock { close($0.descriptor) }
    }

    /// Bytes waiting to be replayed.
    public var pendingBytes: Int { state.withLock { $0.activeBytes + $0.sealedBytes } }

    /// Whether anything waits to be replayed.
    public var hasPending: Bool { pendingBytes > 0 }

    /// Appends `records` on the spool's own queue (fsync blocks, so never on Swift's
    /// cooperative pool); when this returns they survive a crash.
    public func append(_ records: [Record]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try self.append(records) }) }
        }
    }

    /// Appends `records` as JSON lines and fsyncs, blocking the calling thread.
    public func append(_ records: [Record]) throws {
        let encoder = Self.encoder()
        var bytes: [UInt8] = []
        for record in records {
            bytes += try encoder.encode(record)
            bytes.append(UInt8(ascii: "\n"))
        }
        try state.withLock { state in
            try Self.writeAll(state.descriptor, bytes)
            guard fsync(state.descriptor) == 0 else { throw Failure(description: "fsync of the spool failed: \(String(cString: strerror(errno)))") }
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
                state.descriptor = open(active.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
                guard state.descriptor >= 0 else { throw Failure(description: "Cannot reopen the spool file: \(String(cString: strerror(errno)))") }
                Self.syncDirectory(directory)
                state.sealedBytes += state.activeBytes
                state.activeBytes = 0
                state.nextSegment += 1
            }
        }
        return Self.segments(in: directory)
    }

    /// Deletes a replayed segment.
    func remove(_ segment: URL) {
        let size = (try? FileManager.default.attributesOfItem(atPath: segment.path)[.size] as? Int) ?? 0
        try? FileManager.default.removeItem(at: segment)
        Self.syncDirectory(directory)
        state.withLock { $0.sealedBytes = max(0, $0.sealedBytes - size) }
    }

    /// The records of a segment, in order; lines that do not decode (a torn last write) are skipped.
    static func read(_ segment: URL) throws -> (events: [Record], skipped: Int) {
        let data = try Data(contentsOf: segment)
        let decoder = Self.decoder()
        var records: [Record] = []
        var skipped = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? decoder.decode(Record.self, from: Data(line)) {
                records.append(record)
            } else {
                skipped += 1
            }
        }
        return (records, skipped)
    }

    /// Every record waiting to be replayed (sealed segments, then the active file), oldest first.
    func pendingRecords() -> [Record] {
        let files = Self.segments(in: directory) + [directory.appendingPathComponent("active.jsonl")]
        return state.withLock { _ in files.flatMap { (try? Self.read($0).events) ?? [] } }
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

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
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
