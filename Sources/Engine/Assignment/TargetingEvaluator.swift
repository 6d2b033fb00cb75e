import Spec

/// A targeting rule compiled once into a flat array of operations (regular expressions
/// built up front) and evaluated against a unit's context attributes on every request. The
/// flat layout avoids the boxing and reference counting of walking the rule's enum tree.
public struct TargetingEvaluator: @unchecked Sendable {
    // @unchecked: the compiled `Regex` values are immutable after init and only read.
    private enum Kind: UInt8 {
        case all, any, not, equals, oneOf, range, regex, exists
    }

    private struct Operation {
        var kind: Kind
        /// For all/any/not: the children's positions in `children`.
        var firstChild = 0
        var childCount = 0
        var attribute = ""
        var values: [AttributeValue] = []
        var low = -Double.infinity
        var lowInclusive = true
        var high = Double.infinity
        var highInclusive = true
        var regex = 0
        var flag = false
    }

    private var operations: [Operation] = []
    private var children: [Int] = []
    private var regexes: [Regex<AnyRegexOutput>] = []

    /// Compiles `rule`; nil matches every unit. Throws when a regex does not compile (a
    /// validated spec's regexes always do).
    public init(_ rule: TargetingRule?) throws {
        if let rule { _ = try compile(rule) }
    }

    /// Appends `rule` and its descendants; returns its position.
    private mutating func compile(_ rule: TargetingRule) throws -> Int {
        let position = operations.count
        switch rule {
        case .all(let rules), .any(let rules):
            if case .all = rule { operations.append(Operation(kind: .all)) } else { operations.append(Operation(kind: .any)) }
            let positions = try rules.map { try compile($0) }
            operations[position].firstChild = children.count
            operations[position].childCount = positions.count
            children += positions
        case .not(let inner):
            operations.append(Operation(kind: .not))
            let child = try compile(inner)
            operations[position].firstChild = children.count
            operations[position].childCount = 1
            children.append(child)
        case .condition(let condition):
            var operation = Operation(kind: .exists, attribute: condition.attribute)
            switch condition.test {
            case .equals(let value):
                operation.kind = .equals
                operation.values = [value]
            case .oneOf(let values):
                operation.kind = .oneOf
                operation.values = values
            case .range(let gt, let gte, let lt, let lte):
                operation.kind = .range
                if let gt { (operation.low, operation.lowInclusive) = (gt, false) }
                if let gte { (operation.low, operation.lowInclusive) = (gte, true) }
                if let lt { (operation.high, operation.highInclusive) = (lt, false) }
                if let lte { (operation.high, operation.highInclusive) = (lte, true) }
            case .regex(let pattern):
                operation.kind = .regex
                operation.regex = regexes.count
                regexes.append(try Regex(pattern))
            case .exists(let flag):
                operation.flag = flag
            }
            operations.append(operation)
        }
        return position
    }

    /// Whether a unit with `context` may enter.
    public func matches(_ context: [String: AttributeValue]) -> Bool {
        operations.isEmpty || evaluate(0, context)
    }

    private func evaluate(_ position: Int, _ context: [String: AttributeValue]) -> Bool {
        switch operations[position].kind {
        case .all:
            let first = operations[position].firstChild
            for index in first..<(first + operations[position].childCount) where !evaluate(children[index], context) { return false }
            return true
        case .any:
            let first = operations[position].firstChild
            for index in first..<(first + operations[position].childCount) where evaluate(children[index], context) { return true }
            return false
        case .not:
            return !evaluate(children[operations[position].firstChild], context)
        case .equals, .oneOf:
            // Values compare by kind: text never equals a number.
            guard let actual = context[operations[position].attribute] else { return false }
            return operations[position].values.contains(actual)
        case .range:
            guard case .number(let x)? = context[operations[position].attribute] else { return false }
            let operation = operations[position]
            let aboveLow = operation.lowInclusive ? x >= operation.low : x > operation.low
            let belowHigh = operation.highInclusive ? x <= operation.high : x < operation.high
            return aboveLow && belowHigh
        case .regex:
            guard case .text(let text)? = context[operations[position].attribute] else { return false }
            return (try? regexes[operations[position].regex].firstMatch(in: text)) != nil
        case .exists:
            return (context[operations[position].attribute] != nil) == operations[position].flag
        }
    }
}
