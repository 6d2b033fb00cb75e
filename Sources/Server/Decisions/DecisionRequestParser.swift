import NIOCore
import Spec

/// Reads a decision request straight from the body's bytes, without Foundation's JSONDecoder
/// (which cost more than the rest of a decision). It is strict on purpose: for anything it is
/// not sure JSONDecoder would read the same way (escapes, non-ASCII outside known strings,
/// duplicate fields, nulls in the context, fractional k…) it returns nil, and the caller
/// decodes with JSONDecoder, whose errors name the field at fault.
struct DecisionRequestParser {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Deepest nesting of an unknown field's value that is skipped rather than left to JSONDecoder.
    static let maxDepth = 32

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The request in `body`, or nil when JSONDecoder must read it.
    static func parse(_ body: ByteBuffer) -> DecisionRequest? {
        body.withUnsafeReadableBytes { bytes in
            var parser = DecisionRequestParser(bytes: bytes)
            return parser.request()
        }
    }

    private mutating func request() -> DecisionRequest? {
        var experiment: String?
        var unitID: String?
        var context: [String: AttributeValue]?
        var k: Int?
        var exclude: [String]?
        /// The known fields read so far, one bit each: a field given twice goes to JSONDecoder.
        var seen: UInt8 = 0
        func first(_ bit: UInt8) -> Bool {
            defer { seen |= bit }
            return seen & bit == 0
        }
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard let key = string() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                switch key {
                case "experiment":
                    guard first(1), let value = string() else { return nil }
                    experiment = value
                case "unit_id":
                    guard first(2), let value = string() else { return nil }
                    unitID = value
                case "context":
                    guard first(4) else { return nil }
                    if literal("null") { break }
                    guard let value = attributes() else { return nil }
                    context = value
                case "k":
                    guard first(8) else { return nil }
                    if literal("null") { break }
                    guard let value = integer() else { return nil }
                    k = value
                case "exclude":
                    guard first(16) else { return nil }
                    if literal("null") { break }
                    guard let value = strings() else { return nil }
                    exclude = value
                default:
                    guard skipValue(depth: 0) else { return nil }
                }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        skipWhitespace()
        guard index == bytes.count, let experiment, let unitID else { return nil }
        return DecisionRequest(experiment: experiment, unitID: unitID, context: context ?? [:], k: k ?? 10, exclude: exclude ?? [])
    }

    // MARK: Values of the known fields

    /// A string without escapes or control characters, valid UTF-8.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
            index += 1
        }
        return nil
    }

    /// An integer written without fraction or exponent, small enough for any Int.
    private mutating func integer() -> Int? {
        let start = index
        guard let end = numberEnd(), !bytes[start..<end].contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
            end - start <= 18
        else { return nil }
        var value = 0
        for byte in bytes[start..<end] where byte != UInt8(ascii: "-") { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
        index = end
        return bytes[start] == UInt8(ascii: "-") ? -value : value
    }

    /// A JSON number as a finite Double.
    private mutating func double() -> Double? {
        let start = index
        guard let end = numberEnd() else { return nil }
        guard let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)), value.isFinite
        else { return nil }
        index = end
        return value
    }

    /// An object of text, number and boolean values, as AttributeValue decodes them.
    private mutating func attributes() -> [String: AttributeValue]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var result: [String: AttributeValue] = [:]
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return result }
        repeat {
            skipWhitespace()
            guard let key = string(), result[key] == nil else { return nil }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let text = string() else { return nil }
                result[key] = .text(text)
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                if literal("true") {
                    result[key] = .bool(true)
                } else if literal("false") {
                    result[key] = .bool(false)
                } else {
                    return nil
                }
            default:
                guard let number = double() else { return nil }
                result[key] = .number(number)
            }
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? result : nil
    }

    /// An array of strings.
    private mutating func strings() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var result: [String] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return result }
        repeat {
            skipWhitespace()
            guard let text = string() else { return nil }
            result.append(text)
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? result : nil
    }
}
