/// Where a request body stops being JSON that can be read, and in which field.
///
/// Foundation's JSONDecoder on Linux reports every syntax error, and every number or string
/// escape it cannot represent, with an empty coding path: a body with `"k": 1e400` or
/// `"unit_id": "\ud800"` was refused as "not valid JSON" without naming the field. On that
/// (error-only) path the body is walked again by this small reader, which follows the key path
/// and stops at the first fault, so the 400 can name it as `k`, `context.device` or
/// `events[3].value`.
struct JSONFault: Equatable, Sendable {
    /// The field holding the fault as the API spells it; nil when it is in the body's own
    /// structure (a trailing comma at the top level, text after the value).
    var field: String?
    /// The offset of the faulty byte in the body.
    var offset: Int
    /// What is wrong, as a phrase: "a number beyond the range of a 64-bit float".
    var reason: String
}

enum JSONFaultLocator {
    /// Nesting deeper than this is a fault in itself (the reader is recursive).
    static let maxDepth = 512

    /// The first fault in `body`, or nil when it is well-formed JSON whose numbers are all finite
    /// doubles, whose escapes are all valid and whose objects repeat no key.
    static func locate(_ body: some Collection<UInt8>) -> JSONFault? {
        var reader = Reader(bytes: Array(body))
        do throws(JSONFault) {
            reader.skipSpace()
            try reader.value(depth: 0)
            reader.skipSpace()
            if reader.position < reader.bytes.count { throw reader.fault("text after the JSON value") }
            return nil
        } catch {
            return error
        }
    }

    private enum PathPart {
        case key(String)
        case index(Int)
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0
        var path: [PathPart] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// The current path as the API spells it (`events[3].value`); nil at the top.
        var field: String? {
            guard !path.isEmpty else { return nil }
            return path.reduce(into: "") { text, part in
                switch part {
                case .key(let key): text += text.isEmpty ? key : ".\(key)"
                case .index(let index): text += "[\(index)]"
                }
            }
        }

        /// A fault at the current byte (or `offset`) in the current field; a body cut short is
        /// the body's fault, not the field's where it was cut.
        func fault(_ reason: String, at offset: Int? = nil) -> JSONFault {
            let cutShort = position >= bytes.count && offset == nil
            return JSONFault(field: cutShort ? nil : field, offset: offset ?? position, reason: reason)
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func expect(_ byte: UInt8, _ reason: String) throws(JSONFault) {
            guard current == byte else { throw fault(current == nil ? "the body ends early" : reason) }
            position += 1
        }

        mutating func value(depth: Int) throws(JSONFault) {
            guard depth < JSONFaultLocator.maxDepth else { throw fault("nesting deeper than \(JSONFaultLocator.maxDepth) levels") }
            guard let byte = current else { throw fault("the body ends where a value was expected") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fault("a character that cannot start a JSON value")
            }
        }

        mutating func object(depth: Int) throws(JSONFault) {
            position += 1
            skipSpace()
            if current == UInt8(ascii: "}") {
                position += 1
                return
            }
            var seen = Set<String>()
            while true {
                guard current == UInt8(ascii: "\"") else { throw fault(current == nil ? "the body ends early" : "a key that is not a string") }
                let keyStart = position
                let key = try string()
                path.append(.key(key))
                guard seen.insert(key).inserted else { throw fault("a key that appears twice in its object", at: keyStart) }
                skipSpace()
                try expect(UInt8(ascii: ":"), "a key not followed by ':'")
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                path.removeLast()
                switch current {
                case UInt8(ascii: ","):
                    position += 1
                    skipSpace()
                case UInt8(ascii: "}"):
                    position += 1
                    return
                default: throw fault(current == nil ? "the body ends inside an object" : "a character where ',' or '}' belongs")
                }
            }
        }

        mutating func array(depth: Int) throws(JSONFault) {
            position += 1
            skipSpace()
            if current == UInt8(ascii: "]") {
                position += 1
                return
            }
            var index = 0
            while true {
                path.append(.index(index))
                try value(depth: depth + 1)
                skipSpace()
                path.removeLast()
                switch current {
                case UInt8(ascii: ","):
                    position += 1
                    skipSpace()
                    index += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return
                default: throw fault(current == nil ? "the body ends inside an array" : "a character where ',' or ']' belongs")
                }
            }
        }

        mutating func literal(_ word: String) throws(JSONFault) {
            for byte in word.utf8 {
                guard current == byte else { throw fault("a word that is not true, false or null") }
                position += 1
            }
            try expectValueEnd()
        }

        /// A value must be followed by space, a separator, a closing bracket or the end.
        func expectValueEnd() throws(JSONFault) {
            switch current {
            case nil, 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"): return
            default: throw fault("a character that cannot follow a value")
            }
        }

        mutating func number() throws(JSONFault) {
            let start = position
            func digits() -> Int {
                let from = position
                while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
                return position - from
            }
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else {
                guard digits() > 0 else { throw fault("a number without digits") }
            }
            if current == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw fault("a number without digits after its decimal point") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw fault("a number without digits in its exponent") }
            }
            try expectValueEnd()
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard let number = Double(text), number.isFinite else {
                throw fault("a number beyond the range of a 64-bit float", at: start)
            }
        }

        /// Reads a string, checking its escapes (a `\u` surrogate must come in a pair), and
        /// returns it (lossy for bytes that are not UTF-8, which other checks name).
        mutating func string() throws(JSONFault) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                guard !raw.isEmpty else { return }
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while true {
                guard let byte = current else { throw fault("the body ends inside a string") }
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    flush()
                    return String(scalars)
                case 0..<0x20:
                    throw fault("a control character that is not escaped")
                case UInt8(ascii: "\\"):
                    flush()
                    let escapeStart = position
                    position += 1
                    guard let escaped = current else { throw fault("the body ends inside a string") }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"): scalars.append(try unicodeEscape(start: escapeStart))
                    default: throw fault("an escape that JSON does not have", at: escapeStart)
                    }
                default:
                    raw.append(byte)
                    position += 1
                }
            }
        }

        /// After `\u`: four hex digits, and for a high surrogate a second `\u` escape with the low one.
        mutating func unicodeEscape(start: Int) throws(JSONFault) -> Unicode.Scalar {
            let first = try hex4(start: start)
            switch first {
            case 0xD800...0xDBFF:
                guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw fault("half of a UTF-16 surrogate pair (\\u\(String(first, radix: 16))) with no other half", at: start)
                }
                position += 2
                let second = try hex4(start: start)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw fault("half of a UTF-16 surrogate pair (\\u\(String(first, radix: 16))) with no other half", at: start)
                }
                let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                return Unicode.Scalar(value) ?? "\u{FFFD}"
            case 0xDC00...0xDFFF:
                throw fault("half of a UTF-16 surrogate pair (\\u\(String(first, radix: 16))) with no other half", at: start)
            default:
                return Unicode.Scalar(first) ?? "\u{FFFD}"
            }
        }

        mutating func hex4(start: Int) throws(JSONFault) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current, let digit = Self.hexValue(byte) else { throw fault("a \\u escape without four hex digits", at: start) }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
    }
}

extension JSONFault: Error {}
