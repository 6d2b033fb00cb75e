import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Random (version 4) UUIDs for decisions, drawn from a pool of system random bytes refilled
/// 4 KiB at a time (`arc4random_buf`, the system's cryptographic generator): Foundation's
/// `UUID()` opens and reads /dev/urandom on every call, which cost a decision three system
/// calls. Request ids stay unguessable and unique across processes.
final class RequestIDs: Sendable {
    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var used = 4096
    }

    private let pool = Mutex(Pool())

    /// A new random UUID.
    func next() -> UUID {
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
        // RFC 9562: version 4 in the high nibble of byte 6, variant 10 in the top bits of byte 8.
        raw.6 = (raw.6 & 0x0F) | 0x40
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
