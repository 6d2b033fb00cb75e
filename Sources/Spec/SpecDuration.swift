/// A length of time written as `30s`, `15m`, `1h`, `7d` or combinations such as `1h30m`.
public struct SpecDuration: Codable, Sendable, Hashable, CustomStringConvertible {
    public var seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    private static let units: [(Character, Int)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]

    /// Parses `text`; nil unless it is one or more `<digits><d|h|m|s>` parts in that order.
    public init?(parsing text: String) {
        var total = 0
        var digits = ""
        var lastUnit = -1
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            guard let unitIndex = Self.units.firstIndex(where: { $0.0 == character }), unitIndex > lastUnit,
                let amount = Int(digits), amount <= 1_000_000
            else { return nil }
            total += amount * Self.units[unitIndex].1
            digits = ""
            lastUnit = unitIndex
        }
        guard digits.isEmpty, lastUnit >= 0 else { return nil }
        self.seconds = total
    }

    /// The shortest canonical text, e.g. `1h30m`, `0s` for zero.
    public var description: String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds
        var text = ""
        for (symbol, size) in Self.units where rest >= size {
            text += "\(rest / size)\(symbol)"
            rest %= size
        }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = SpecDuration(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a duration such as 15m or 1h.")
            )
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
