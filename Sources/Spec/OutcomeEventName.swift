/// The rule for an outcome event's type (`order`, `session_start`): what POST /v1/outcomes,
/// `abctl import outcomes` and a metric's `source.event` accept.
public enum OutcomeEventName {
    /// The rule as a sentence, for refusals.
    public static let rule = "a lower-case letter, then up to 62 lower-case letters, digits or underscores (order, session_start)"

    /// Whether `name` follows `rule`.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), bytes.count <= 63 else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
