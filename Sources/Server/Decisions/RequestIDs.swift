import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Time-ordered (version 7, RFC 9562) UUIDs for decisions: the decision's time to the
/// millisecond, then a finer fraction of it, then 62 random bits drawn from a pool of system
/// random bytes refilled 4 KiB at a time (`arc4random_buf`, the system's cryptographic
/// generator; Foundation's `UUID()` reads /dev/urandom on every call).
///
/// Why time-ordered: `impressions` is keyed by request id, and random (version 4) ids land all
/// over its primary-key index, where time-ordered ones append at its right edge; that makes
/// PostgreSQL's work per impression a fifth smaller (docs/benchmarks.md). Ids stay
/// unguessable (62 random bits) and unique across processes.
final class RequestIDs: Sendable {
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var used = 4096
    }

    private let pool = Mutex(Pool())

    /// A new id for a decision made at `time`.
    func next(at time: Date) -> UUID {
        var raw: uuid_t = pool.withLock { pool in
            if pool.used + 16 > pool.bytes.count {
                Self.fill(&pool.bytes)
                pool.used = 0
            }
            defer { pool.used += 16 }
            return pool.bytes.withUnsafeBytes { bytes in
                bytes.loadUnaligned(fromByteOffset: pool.used, as: uuid_t.self)
            }
        }
        // RFC 9562 §5.7: 48 bits of Unix time in milliseconds, version 7, then (method 3 of
        // §6.2) 12 bits of the millisecond's fraction, variant 10, and random bits.
        let milliseconds = max(0, time.timeIntervalSince1970 * 1000)
        let whole = UInt64(min(milliseconds, Double(1 << 48 - 1)))
        let fraction = UInt16(min(4095, (milliseconds - Double(whole)) * 4096))
        raw.0 = UInt8(truncatingIfNeeded: whole >> 40)
        raw.1 = UInt8(truncatingIfNeeded: whole >> 32)
        raw.2 = UInt8(truncatingIfNeeded: whole >> 24)
        raw.3 = UInt8(truncatingIfNeeded: whole >> 16)
        raw.4 = UInt8(truncatingIfNeeded: whole >> 8)
        raw.5 = UInt8(truncatingIfNeeded: whole)
        raw.6 = 0x70 | UInt8(fraction >> 8)
        raw.7 = UInt8(truncatingIfNeeded: fraction)
        raw.8 = (raw.8 & 0x3F) | 0x80
        return UUID(uuid: raw)
    }

    private static func fill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            // The pool is 4096 bytes, so its base address is never nil.
            arc4random_buf(buffer.baseAddress!, buffer.count)
        }
    }
}

extension UUID {
    /// The UUID in lowercase text form (8-4-4-4-12 hex digits), written without Foundation's
    /// uppercase string and its lowercased copy.
    var lowercasedString: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var position = 0
                    for (index, byte) in bytes.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        out[position] = hex[Int(byte >> 4)]
                        out[position + 1] = hex[Int(byte & 0x0F)]
                        position += 2
                    }
                    return position
                }
            }
        }
    }
}
