import Strategies

extension SpecDecoder {
    /// Checks the strategy name against the catalogue and its `params` against the
    /// strategy's parameter descriptions; returns the params when they are valid.
    func decodeStrategy(_ strategy: String?, paramsNode: SpecNode?, strategyNode: SpecNode?, path: String) -> [String: ParameterValue]? {
        guard let strategy, let strategyNode else { return nil }
        guard let description = catalog.description(named: strategy) else {
            let hint = EditDistance.suggestion(for: strategy, among: catalog.names).map { "did you mean '\($0)'?" }
            diagnostics.error(
                strategyNode.location,
                "Unknown strategy '\(strategy)' in '\(path).strategy'; \(hint ?? "use one of: \(catalog.names.joined(separator: ", ")).")"
            )
            return nil
        }
        return decodeParameters(paramsNode, of: description, path: "\(path).params", ownerLocation: strategyNode.location)
    }

    /// Checks a `params:` mapping against `description`: unknown names, missing required
    /// ones, kinds and ranges; hybrid `components` are checked recursively.
    func decodeParameters(
        _ node: SpecNode?,
        of description: StrategyDescription,
        path: String,
        ownerLocation: SourceLocation
    ) -> [String: ParameterValue]? {
        let names = description.parameters.map(\.name)
        var result: [String: ParameterValue] = [:]
        let entries: [SpecNode.Entry]
        if let node {
            guard let reader = MappingReader(node, path: path, diagnostics: diagnostics) else { return nil }
            reader.rejectUnknownKeys(allowed: names) { key in
                let hint = EditDistance.suggestion(for: key, among: names).map { "did you mean '\($0)'?" }
                let list = names.isEmpty ? "it takes none" : "it takes \(names.joined(separator: ", "))"
                return "Strategy '\(description.name)' has no parameter '\(key)'; \(hint ?? "\(list).")"
            }
            entries = reader.node.entries ?? []
        } else {
            entries = []
        }
        for parameter in description.parameters {
            guard let entry = entries.first(where: { $0.key == parameter.name }) else {
                if parameter.isRequired {
                    diagnostics.error(
                        node?.location ?? ownerLocation,
                        "Strategy '\(description.name)' needs parameter '\(parameter.name)' (\(parameter.summary)); add it under '\(path)'."
                    )
                }
                continue
            }
            if let value = decodeParameter(entry.value, parameter, path: "\(path).\(parameter.name)") {
                result[parameter.name] = value
            }
        }
        return result
    }

    /// One parameter value checked against its kind.
    func decodeParameter(_ node: SpecNode, _ parameter: ParameterDescription, path: String) -> ParameterValue? {
        switch parameter.kind {
        case .integer(let minimum, let maximum):
            guard let scalar = node.scalar, case .integer(let value) = scalar.kind, value >= (minimum ?? .min), value <= (maximum ?? .max) else {
                diagnostics.mismatch(node, path, "a whole number\(Self.rangePhrase(minimum.map(Double.init), maximum.map(Double.init)))")
                return nil
            }
            return .integer(value)
        case .real(let minimum, let maximum):
            guard let scalar = node.scalar, let value = MappingReader.number(of: scalar), value >= (minimum ?? -.infinity),
                value <= (maximum ?? .infinity)
            else {
                diagnostics.mismatch(node, path, "a number\(Self.rangePhrase(minimum, maximum))")
                return nil
            }
            return .real(value)
        case .boolean:
            guard let scalar = node.scalar, case .bool(let value) = scalar.kind else {
                diagnostics.mismatch(node, path, "true or false")
                return nil
            }
            return .bool(value)
        case .choice(let options):
            guard let scalar = node.scalar, scalar.kind == .string, options.contains(scalar.text) else {
                let hint = node.scalar.flatMap { EditDistance.suggestion(for: $0.text, among: options) }.map { "; did you mean '\($0)'" } ?? ""
                diagnostics.error(node.location, "'\(path)' must be one of \(options.joined(separator: ", ")), not \(node.kindPhrase)\(hint).")
                return nil
            }
            return .text(scalar.text)
        case .text:
            guard let scalar = node.scalar, scalar.kind == .string, !scalar.text.isEmpty else {
                diagnostics.mismatch(node, path, "non-empty text")
                return nil
            }
            return .text(scalar.text)
        case .strategies:
            return decodeComponents(node, path: path)
        }
    }

    /// A hybrid's `components`: a non-empty list of `{strategy, params, weight}`.
    private func decodeComponents(_ node: SpecNode, path: String) -> ParameterValue? {
        guard let items = node.items, !items.isEmpty else {
            diagnostics.mismatch(node, path, "a non-empty list of components, each {strategy: name, params: {...}, weight: x}")
            return nil
        }
        let errorsBefore = diagnostics.errorCount
        var components: [ParameterValue] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let reader = MappingReader(item, path: itemPath, diagnostics: diagnostics) else { continue }
            reader.rejectUnknownKeys(allowed: ["strategy", "params", "weight"])
            let weight = reader.number("weight", in: 0...1_000_000, lowerExclusive: true) ?? 1
            let strategy = reader.string("strategy", required: true)
            let params = decodeStrategy(strategy, paramsNode: reader["params"], strategyNode: reader["strategy"], path: itemPath)
            if let strategy, let params {
                components.append(.map(["strategy": .text(strategy), "params": .map(params), "weight": .real(weight)]))
            }
        }
        return diagnostics.errorCount == errorsBefore ? .list(components) : nil
    }

    static func rangePhrase(_ minimum: Double?, _ maximum: Double?) -> String {
        switch (minimum, maximum) {
        case (let low?, let high?): return " from \(MappingReader.format(low)) to \(MappingReader.format(high))"
        case (let low?, nil): return " of at least \(MappingReader.format(low))"
        case (nil, let high?): return " of at most \(MappingReader.format(high))"
        case (nil, nil): return ""
        }
    }
}
