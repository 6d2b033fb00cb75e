/// Writes JSON text straight into memory reserved for it (a response buffer's free space),
/// with one bounds check per write rather than per byte. `bound(of:)` says how much room a
/// string can take, so callers reserve enough; a write past the end stops the process
/// rather than touching memory it does not own.
struct JSONBytesWriter {
    private let out: UnsafeMutableRawBufferPointer
    /// Bytes written so far.
    private(set) var count = 0

    init(into out: UnsafeMutableRawBufferPointer) {
        self.out = out
    }

    /// The most bytes `string(_:)` writes for `text`: every byte escaped as \u00XX, and quotes.
    static func bound(of text: String) -> Int { text.utf8.count * 6 + 2 }
    /// The most bytes a number takes (a Double's shortest form, or any Int64).
    static let numberBound = 32

    private mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= out.count, "JSON output larger than the room reserved for it")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // Non-empty bytes fit, so `out` is not empty and has a base address.
        (out.baseAddress! + count).copyMemory(from: base, byteCount: bytes.count)
        count += bytes.count
    }

    private mutating func byte(_ value: UInt8) {
        precondition(count < out.count, "JSON output larger than the room reserved for it")
        out[count] = value
        count += 1
    }

    /// Writes fixed JSON text, e.g. `,"score":`.
    mutating func text(_ text: StaticString) {
        text.withUTF8Buffer { raw(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `value` as a quoted JSON string, escaping quotes, backslashes and control characters.
    mutating func string(_ value: String) {
        byte(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let code = utf8[index]
                guard code < 0x20 || code == UInt8(ascii: "\"") || code == UInt8(ascii: "\\") else { continue }
                raw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[start..<index])))
                switch code {
                case UInt8(ascii: "\""): text(#"\""#)
                case UInt8(ascii: "\\"): text(#"\\"#)
                case UInt8(ascii: "\n"): text(#"\n"#)
                case UInt8(ascii: "\r"): text(#"\r"#)
                case UInt8(ascii: "\t"): text(#"\t"#)
                default:
                    text(#"\u00"#)
                    byte(Self.hex(code >> 4))
                    byte(Self.hex(code & 0x0F))
                }
                start = index + 1
            }
            raw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[start...])))
        }
        byte(UInt8(ascii: "\""))
    }

    /// Writes a Double as Swift prints it (the shortest text that reads back the same), or
    /// null when it is not finite, which JSON cannot carry.
    mutating func number(_ value: Double) {
        guard value.isFinite else { return text("null") }
        var description = value.description
        description.withUTF8 { raw(UnsafeRawBufferPointer($0)) }
    }

    /// Writes an integer in decimal.
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits, more than UInt64 has
        withUnsafeMutableBytes(of: &digits) { buffer in
            var position = buffer.count
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            raw(UnsafeRawBufferPointer(rebasing: buffer[position...]))
        }
    }

    private static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
