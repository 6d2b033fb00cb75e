/// One context feature read from an impression's `context` jsonb: a numeric key (`age`: its number,
/// true/false as 1/0) or an indicator (`device=mobile`: 1 when the key holds that text, else 0).
public struct ContextFeature: Sendable, Hashable, CustomStringConvertible {
    /// The jsonb key.
    public var key: String
    /// The text that makes the indicator 1; nil for a numeric key.
    public var equals: String?

    /// A numeric feature (`equals` nil) or an indicator of `key` holding `equals`.
    public init(key: String, equals: String? = nil) {
        self.key = key
        self.equals = equals
    }

    /// Parses `key` or `key=value`; nil for an empty key.
    public init?(_ text: String) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let key = parts.first?.trimmingCharacters(in: .whitespaces), !key.isEmpty else { return nil }
        self.key = key
        equals = parts.count == 2 ? parts[1] : nil
    }

    /// Parses a comma-separated list of features.
    public static func parseList(_ text: String) -> [ContextFeature]? {
        let pieces = text.split(separator: ",").map { String($0) }
        let features = pieces.compactMap(ContextFeature.init)
        return features.count == pieces.count ? features : nil
    }

    public var description: String { equals.map { "\(key)=\($0)" } ?? key }
}
