extension ResolvedParameters {
    /// Converts one raw value to the parameter's kind, checking its range.
    static func convert(
        _ raw: ParameterValue,
        to parameter: ParameterDescription,
        strategy: String
    ) throws(StrategyError) -> ParameterValue {
        func invalid(_ expected: String) -> StrategyError {
            .invalidParameter(strategy: strategy, parameter: parameter.name, value: raw.yamlText, expected: expected)
        }
        switch parameter.kind {
        case .integer(let minimum, let maximum):
            let expected = "an integer" + rangeText(minimum, maximum)
            let value: Int
            switch raw {
            case .integer(let given): value = given
            case .text(let text):
                guard let parsed = Int(text.trimmingSpaces) else { throw invalid(expected) }
                value = parsed
            case .real(let given) where given.rounded() == given && abs(given) < 1e15: value = Int(given)
            default: throw invalid(expected)
            }
            if let minimum, value < minimum { throw invalid(expected) }
            if let maximum, value > maximum { throw invalid(expected) }
            return .integer(value)
        case .real(let minimum, let maximum):
            let expected = "a number" + rangeText(minimum, maximum)
            let value: Double
            switch raw {
            case .real(let given): value = given
            case .integer(let given): value = Double(given)
            case .text(let text):
                guard let parsed = Double(text.trimmingSpaces) else { throw invalid(expected) }
                value = parsed
            default: throw invalid(expected)
            }
            guard value.isFinite else { throw invalid(expected) }
            if let minimum, value < minimum { throw invalid(expected) }
            if let maximum, value > maximum { throw invalid(expected) }
            return .real(value)
        case .boolean:
            switch raw {
            case .boolean: return raw
            case .text(let text) where ["true", "false"].contains(text.trimmingSpaces.lowercased()):
                return .boolean(text.trimmingSpaces.lowercased() == "true")
            default: throw invalid("true or false")
            }
        case .choice(let choices):
            guard case .text(let text) = raw, choices.contains(text) else {
                throw invalid("one of \(choices.joined(separator: ", "))")
            }
            return raw
        case .text:
            guard case .text = raw else { throw invalid("text") }
            return raw
        case .strategies:
            let expected = "a list of strategies, e.g. 'item_knn:0.7,popularity:0.3'"
            switch raw {
            case .strategies(let components) where !components.isEmpty:
                return raw
            case .text(let text):
                guard let components = parseComponents(text) else { throw invalid(expected) }
                return .strategies(components)
            default: throw invalid(expected)
            }
        }
    }

    /// Parses `name:weight,name:weight` (weight optional, default 1) into components with default parameters.
    static func parseComponents(_ text: String) -> [StrategyComponent]? {
        var components: [StrategyComponent] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: ":").map { String($0).trimmingSpaces }
            guard let name = pieces.first, !name.isEmpty, pieces.count <= 2 else { return nil }
            var weight = 1.0
            if pieces.count == 2 {
                guard let parsed = Double(pieces[1]), parsed >= 0, parsed.isFinite else { return nil }
                weight = parsed
            }
            components.append(StrategyComponent(strategy: name, weight: weight))
        }
        return components.isEmpty ? nil : components
    }

    private static func rangeText<T: Comparable>(_ minimum: T?, _ maximum: T?) -> String {
        switch (minimum, maximum) {
        case (let low?, let high?): " from \(low) to \(high)"
        case (let low?, nil): " of at least \(low)"
        case (nil, let high?): " of at most \(high)"
        case (nil, nil): ""
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
