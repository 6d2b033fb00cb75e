import Foundation
import Spec

/// Writes a decision's context as a JSON object by hand: it runs on every decision, and
/// JSONEncoder costs more than the rest of the decision.
enum ContextJSON {
    static func encode(_ context: [String: AttributeValue]) -> String {
        guard !context.isEmpty else { return "{}" }
        var out = "{"
        for (index, key) in context.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            switch context[key] {
            case .text(let text)?: appendString(text, to: &out)
            case .number(let number)? where number.isFinite: out += "\(number)"
            case .bool(let flag)?: out += flag ? "true" : "false"
            default: out += "null"
            }
        }
        return out + "}"
    }

    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
