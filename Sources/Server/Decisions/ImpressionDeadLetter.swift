import Foundation
import PostgresClient
import Synchronization

/// The impressions PostgreSQL refused to store, kept for an operator instead of being retried
/// forever: `<spool>/rejected-impressions.jsonl`, next to the impression spool, one JSON object
/// per line, `{"request_id", "rejected_at", "error", "sqlstate"?, "impression"}`, fsynced before
/// the impression is let go. `impression` is in the impression spool's format, so once the
/// cause is fixed the objects can be appended to `<spool>/impressions/active.jsonl` while the
/// server is stopped and the next start replays them. A request id is written once, also when
/// a replay meets the same impression again after a restart.
final class ImpressionDeadLetter: Sendable {
    /// One line of the file.
    struct Entry: Codable, Sendable {
        var requestID: String
        var rejectedAt: String
        var error: String
        var sqlState: String?
        var impression: Impression

        enum CodingKeys: String, CodingKey {
            case error, impression
            case requestID = "request_id"
            case rejectedAt = "rejected_at"
            case sqlState = "sqlstate"
        }
    }

    /// Why an entry could not be written.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let file: URL
    /// The request ids in the file.
    private let known: Mutex<Set<String>>
    private let queue = DispatchQueue(label: "abctl.impressions.dead-letter")

    /// Opens the dead-letter file at `file` (created on the first rejection), learning the
    /// request ids it holds; lines that do not decode are skipped.
    init(file: URL) {
        self.file = file
        var ids = Set<String>()
        if let data = try? Data(contentsOf: file) {
            struct Key: Decodable {
                var requestID: String
                enum CodingKeys: String, CodingKey { case requestID = "request_id" }
            }
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let key = try? JSONDecoder().decode(Key.self, from: Data(line)) { ids.insert(key.requestID) }
            }
        }
        known = Mutex(ids)
    }

    /// How many impressions the file holds.
    var count: Int { known.withLock { $0.count } }

    /// Appends `impression` with the reason PostgreSQL gave, on the file's own queue (fsync
    /// blocks); false when the file already holds it. Throws when the file cannot be written.
    func append(_ impression: Impression, error: any Error, at time: Date = Date()) async throws -> Bool {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
            queue.async { continuation.resume(with: Result { try self.append(impression, error: error, at: time) }) }
        }
    }

    private func append(_ impression: Impression, error: any Error, at time: Date) throws -> Bool {
        let id = impression.requestID.uuidString.lowercased()
        guard !known.withLock({ $0.contains(id) }) else { return false }
        let entry = Entry(
            requestID: id,
            rejectedAt: time.formatted(.iso8601),
            error: "\(error)",
            sqlState: (error as? PostgresError)?.sqlState,
            impression: impression
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        try write(Array(try encoder.encode(entry)) + [UInt8(ascii: "\n")])
        known.withLock { _ = $0.insert(id) }
        return true
    }

    /// Appends `line` and fsyncs (the folder too when the file is new); a half line a crash
    /// left at the end is closed first, so the new line starts clean.
    private func write(_ line: [UInt8]) throws {
        func failure(_ what: String) -> Failure {
            Failure(description: "Cannot \(what) the dead-letter file \(file.path): \(String(cString: strerror(errno)))")
        }
        let isNew = !FileManager.default.fileExists(atPath: file.path)
        let descriptor = open(file.path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open") }
        defer { close(descriptor) }
        var bytes = line
        let size = lseek(descriptor, 0, SEEK_END)
        var last: UInt8 = 0
        if size > 0, pread(descriptor, &last, 1, size - 1) == 1, last != UInt8(ascii: "\n") { bytes.insert(UInt8(ascii: "\n"), at: 0) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure("fsync") }
        if isNew {
            let folder = open(file.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
            if folder >= 0 {
                fsync(folder)
                close(folder)
            }
        }
    }
}
