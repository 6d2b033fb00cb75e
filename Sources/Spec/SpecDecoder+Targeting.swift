extension SpecDecoder {
    private static let operators = ["equals", "in", "gt", "gte", "lt", "lte", "regex", "exists"]

    /// Decodes a targeting rule: `{all: [...]}`, `{any: [...]}`, `{not: rule}`,
    /// `{attribute: a, <operator>: value}`, or a list (meaning all).
    func decodeRule(_ node: SpecNode, path: String) -> TargetingRule? {
        if let items = node.items {
            return rules(items, path: path).map(TargetingRule.all)
        }
        guard let reader = MappingReader(node, path: path, diagnostics: diagnostics) else { return nil }
        let combinators = ["all", "any", "not"].filter { reader.node[$0] != nil }
        if combinators.count > 1 || (combinators.count == 1 && reader.node["attribute"] != nil) {
            diagnostics.error(
                node.location,
                "'\(path)' mixes \((combinators + (reader.node["attribute"] == nil ? [] : ["attribute"])).joined(separator: " and ")); a rule is one of all, any, not or a condition, so nest them."
            )
            return nil
        }
        if let combinator = combinators.first {
            reader.rejectUnknownKeys(allowed: [combinator])
            guard let value = reader.required(combinator) else { return nil }
            if combinator == "not" { return decodeRule(value, path: "\(path).not").map(TargetingRule.not) }
            guard let items = value.items, !items.isEmpty else {
                diagnostics.mismatch(value, "\(path).\(combinator)", "a non-empty list of rules")
                return nil
            }
            let decoded = rules(items, path: "\(path).\(combinator)")
            return decoded.map { combinator == "all" ? .all($0) : .any($0) }
        }
        return condition(reader, path: path).map(TargetingRule.condition)
    }

    private func rules(_ items: [SpecNode], path: String) -> [TargetingRule]? {
        let decoded = items.enumerated().map { decodeRule($1, path: "\(path)[\($0)]") }
        return decoded.contains { $0 == nil } ? nil : decoded.compactMap { $0 }
    }

    private func condition(_ reader: MappingReader, path: String) -> TargetingCondition? {
        reader.rejectUnknownKeys(allowed: ["attribute"] + Self.operators + ["all", "any", "not"])
        guard let attribute = reader.string("attribute", required: true) else { return nil }
        let given = Self.operators.filter { reader.node[$0] != nil }
        let ranges = given.filter { ["gt", "gte", "lt", "lte"].contains($0) }
        guard !given.isEmpty else {
            diagnostics.error(reader.node.location, "Condition on '\(attribute)' has no test; add one of: \(Self.operators.joined(separator: ", ")).")
            return nil
        }
        guard given.count == ranges.count || given.count == 1 else {
            diagnostics.error(
                reader.node.location,
                "Condition on '\(attribute)' has several tests (\(given.joined(separator: ", "))); keep one, or combine conditions with all."
            )
            return nil
        }
        let op = given[0]
        guard let node = reader.node[op] else { return nil }
        let opPath = "\(path).\(op)"
        switch op {
        case "equals":
            return attributeValue(node, path: opPath).map { TargetingCondition(attribute: attribute, test: .equals($0)) }
        case "in":
            guard let items = node.items, !items.isEmpty else {
                diagnostics.mismatch(node, opPath, "a non-empty list of values")
                return nil
            }
            let values = items.enumerated().map { attributeValue($1, path: "\(opPath)[\($0)]") }
            return values.contains(nil) ? nil : TargetingCondition(attribute: attribute, test: .oneOf(values.compactMap { $0 }))
        case "regex":
            guard let pattern = reader.string("regex") else { return nil }
            do {
                _ = try Regex(pattern)
            } catch {
                diagnostics.error(node.location, "'\(opPath)' is not a valid regular expression (\(error)); fix the pattern.")
                return nil
            }
            return TargetingCondition(attribute: attribute, test: .regex(pattern))
        case "exists":
            return reader.bool("exists").map { TargetingCondition(attribute: attribute, test: .exists($0)) }
        default:
            return range(reader, attribute: attribute, path: path)
        }
    }

    private func range(_ reader: MappingReader, attribute: String, path: String) -> TargetingCondition? {
        let errorsBefore = diagnostics.errorCount
        let all = -Double.infinity...Double.infinity
        let gt = reader.number("gt", in: all)
        let gte = reader.number("gte", in: all)
        let lt = reader.number("lt", in: all)
        let lte = reader.number("lte", in: all)
        guard diagnostics.errorCount == errorsBefore else { return nil }
        if gt != nil && gte != nil || lt != nil && lte != nil {
            diagnostics.error(
                reader.node.location,
                "Condition on '\(attribute)' gives two lower or two upper bounds; keep one of gt/gte and one of lt/lte."
            )
            return nil
        }
        let low = gt ?? gte ?? -.infinity
        let high = lt ?? lte ?? .infinity
        if low > high || (low == high && (gt != nil || lt != nil)) {
            diagnostics.error(
                reader.node.location,
                "Condition on '\(attribute)' can never match: the lower bound \(MappingReader.format(low)) is not below the upper bound \(MappingReader.format(high)); swap or fix the bounds."
            )
            return nil
        }
        return TargetingCondition(attribute: attribute, test: .range(gt: gt, gte: gte, lt: lt, lte: lte))
    }

    private func attributeValue(_ node: SpecNode, path: String) -> AttributeValue? {
        guard let scalar = node.scalar else {
            diagnostics.mismatch(node, path, "a text, number or boolean value")
            return nil
        }
        switch scalar.kind {
        case .string: return .text(scalar.text)
        case .integer(let value): return .number(Double(value))
        case .real(let value): return .number(value)
        case .bool(let value): return .bool(value)
        case .null:
            diagnostics.mismatch(node, path, "a text, number or boolean value")
            return nil
        }
    }
}
