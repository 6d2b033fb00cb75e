import Spec

/// A targeting rule compiled once (regular expressions built up front) and evaluated
/// against a unit's context attributes on every request.
public struct TargetingEvaluator: @unchecked Sendable {
    // @unchecked: the compiled `Regex` values are immutable after init and only read.
    private indirect enum Node {
        case all([Node])
        case any([Node])
        case not(Node)
        case equals(String, AttributeValue)
        case oneOf(String, [AttributeValue])
        case range(String, gt: Double?, gte: Double?, lt: Double?, lte: Double?)
        case regex(String, Regex<AnyRegexOutput>)
        case exists(String, Bool)
    }

    private let root: Node?

    /// Compiles `rule`; nil matches every unit. Throws when a regex does not compile (a
    /// validated spec's regexes always do).
    public init(_ rule: TargetingRule?) throws {
        root = try rule.map(Self.compile)
    }

    private static func compile(_ rule: TargetingRule) throws -> Node {
        switch rule {
        case .all(let rules): return .all(try rules.map(compile))
        case .any(let rules): return .any(try rules.map(compile))
        case .not(let rule): return .not(try compile(rule))
        case .condition(let condition):
            let name = condition.attribute
            switch condition.test {
            case .equals(let value): return .equals(name, value)
            case .oneOf(let values): return .oneOf(name, values)
            case .range(let gt, let gte, let lt, let lte): return .range(name, gt: gt, gte: gte, lt: lt, lte: lte)
            case .regex(let pattern): return .regex(name, try Regex(pattern))
            case .exists(let flag): return .exists(name, flag)
            }
        }
    }

    /// Whether a unit with `context` may enter.
    public func matches(_ context: [String: AttributeValue]) -> Bool {
        guard let root else { return true }
        return Self.evaluate(root, context)
    }

    private static func evaluate(_ node: Node, _ context: [String: AttributeValue]) -> Bool {
        switch node {
        case .all(let nodes):
            for node in nodes where !evaluate(node, context) { return false }
            return true
        case .any(let nodes):
            for node in nodes where evaluate(node, context) { return true }
            return false
        case .not(let node): return !evaluate(node, context)
        case .equals(let name, let value): return context[name].map { same($0, value) } ?? false
        case .oneOf(let name, let values):
            guard let actual = context[name] else { return false }
            return values.contains { same(actual, $0) }
        case .range(let name, let gt, let gte, let lt, let lte):
            guard case .number(let x)? = context[name] else { return false }
            if let gt, !(x > gt) { return false }
            if let gte, !(x >= gte) { return false }
            if let lt, !(x < lt) { return false }
            if let lte, !(x <= lte) { return false }
            return true
        case .regex(let name, let regex):
            guard case .text(let text)? = context[name] else { return false }
            return (try? regex.firstMatch(in: text)) != nil
        case .exists(let name, let flag): return (context[name] != nil) == flag
        }
    }

    /// Values of the same kind compare by value; text never equals a number.
    private static func same(_ a: AttributeValue, _ b: AttributeValue) -> Bool { a == b }
}
