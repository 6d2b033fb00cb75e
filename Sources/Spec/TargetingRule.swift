/// Which units may enter: conditions on context attributes combined with all/any/not.
public indirect enum TargetingRule: Sendable, Equatable, Codable {
    case all([TargetingRule])
    case any([TargetingRule])
    case not(TargetingRule)
    case condition(TargetingCondition)

    private enum CodingKeys: String, CodingKey {
        case all, any, not
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let rules = try container.decodeIfPresent([TargetingRule].self, forKey: .all) {
            self = .all(rules)
        } else if let rules = try container.decodeIfPresent([TargetingRule].self, forKey: .any) {
            self = .any(rules)
        } else if let rule = try container.decodeIfPresent(TargetingRule.self, forKey: .not) {
            self = .not(rule)
        } else {
            self = .condition(try TargetingCondition(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .all(let rules): try container.encode(rules, forKey: .all)
        case .any(let rules): try container.encode(rules, forKey: .any)
        case .not(let rule): try container.encode(rule, forKey: .not)
        case .condition(let condition): try condition.encode(to: encoder)
        }
    }
}

/// A test on one context attribute.
public struct TargetingCondition: Sendable, Equatable, Codable {
    /// The tests a condition can make.
    public enum Test: Sendable, Equatable {
        case equals(AttributeValue)
        case oneOf([AttributeValue])
        /// Numeric bounds; the attribute must be a number satisfying every bound given.
        case range(gt: Double?, gte: Double?, lt: Double?, lte: Double?)
        /// The attribute is text matching this regular expression (anywhere, unless anchored).
        case regex(String)
        /// The attribute is present (true) or absent (false).
        case exists(Bool)
    }

    public var attribute: String
    public var test: Test

    public init(attribute: String, test: Test) {
        self.attribute = attribute
        self.test = test
    }

    private enum CodingKeys: String, CodingKey {
        case attribute, equals, `in`, gt, gte, lt, lte, regex, exists
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attribute = try container.decode(String.self, forKey: .attribute)
        if let value = try container.decodeIfPresent(AttributeValue.self, forKey: .equals) {
            test = .equals(value)
        } else if let values = try container.decodeIfPresent([AttributeValue].self, forKey: .in) {
            test = .oneOf(values)
        } else if let pattern = try container.decodeIfPresent(String.self, forKey: .regex) {
            test = .regex(pattern)
        } else if let exists = try container.decodeIfPresent(Bool.self, forKey: .exists) {
            test = .exists(exists)
        } else {
            test = .range(
                gt: try container.decodeIfPresent(Double.self, forKey: .gt),
                gte: try container.decodeIfPresent(Double.self, forKey: .gte),
                lt: try container.decodeIfPresent(Double.self, forKey: .lt),
                lte: try container.decodeIfPresent(Double.self, forKey: .lte)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attribute, forKey: .attribute)
        switch test {
        case .equals(let value): try container.encode(value, forKey: .equals)
        case .oneOf(let values): try container.encode(values, forKey: .in)
        case .regex(let pattern): try container.encode(pattern, forKey: .regex)
        case .exists(let exists): try container.encode(exists, forKey: .exists)
        case .range(let gt, let gte, let lt, let lte):
            try container.encodeIfPresent(gt, forKey: .gt)
            try container.encodeIfPresent(gte, forKey: .gte)
            try container.encodeIfPresent(lt, forKey: .lt)
            try container.encodeIfPresent(lte, forKey: .lte)
        }
    }
}

/// A context attribute's value: text, number or boolean.
public enum AttributeValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .text(let value): return value
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): return String(value)
        }
    }
}
