/// Parameters checked against a strategy's description, with defaults filled in, read by type.
struct ResolvedParameters: Sendable, Hashable {
    let strategy: String
    /// Every described parameter's value (explicit or default), typed.
    private(set) var values: [String: ParameterValue]

    /// Validates `given` against `description`: unknown names, missing required values,
    /// unparsable text and out-of-range numbers are errors naming the parameter.
    init(_ given: [String: ParameterValue], for description: StrategyDescription) throws(StrategyError) {
        strategy = description.name
        for name in given.keys where description.parameter(named: name) == nil {
            throw .unknownParameter(strategy: strategy, parameter: name, known: description.parameters.map(\.name))
        }
        var values: [String: ParameterValue] = [:]
        for parameter in description.parameters {
            let raw: ParameterValue
            if let value = given[parameter.name] {
                raw = value
            } else if let fallback = parameter.defaultValue {
                raw = .text(fallback)
            } else {
                throw .missingParameter(strategy: strategy, parameter: parameter.name)
            }
            values[parameter.name] = try Self.convert(raw, to: parameter, strategy: strategy)
        }
        self.values = values
    }

    func integer(_ name: String) -> Int {
        if case .integer(let value) = values[name] { return value }
        preconditionFailure("parameter \(name) of \(strategy) is not a described integer")
    }

    func real(_ name: String) -> Double {
        if case .real(let value) = values[name] { return value }
        preconditionFailure("parameter \(name) of \(strategy) is not a described real")
    }

    func boolean(_ name: String) -> Bool {
        if case .boolean(let value) = values[name] { return value }
        preconditionFailure("parameter \(name) of \(strategy) is not a described boolean")
    }

    func text(_ name: String) -> String {
        if case .text(let value) = values[name] { return value }
        preconditionFailure("parameter \(name) of \(strategy) is not described as text or choice")
    }

    func components(_ name: String) -> [StrategyComponent] {
        if case .strategies(let value) = values[name] { return value }
        preconditionFailure("parameter \(name) of \(strategy) is not described as strategies")
    }

    /// The values as YAML text, for model file headers.
    var yamlTexts: [String: String] { values.mapValues(\.yamlText) }
}
