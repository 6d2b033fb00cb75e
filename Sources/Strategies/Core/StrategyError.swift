/// Why a strategy could not be built, fitted, saved or loaded; each prints as one actionable sentence.
public enum StrategyError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownStrategy(name: String, known: [String])
    case unavailableHere(strategy: String, reason: String)
    case unknownParameter(strategy: String, parameter: String, known: [String])
    case missingParameter(strategy: String, parameter: String)
    case invalidParameter(strategy: String, parameter: String, value: String, expected: String)
    case catalogueTooLarge(strategy: String, items: Int, limit: Int, parameter: String)
    case notAModelFile
    case unsupportedFormatVersion(found: UInt32, supported: UInt32)
    case corruptModel(strategy: String, reason: String)

    public var description: String {
        switch self {
        case .unknownStrategy(let name, let known):
            "Unknown strategy '\(name)'; choose one of \(known.joined(separator: ", "))."
        case .unavailableHere(let strategy, let reason):
            "Strategy '\(strategy)' cannot be built by the strategies library: \(reason)."
        case .unknownParameter(let strategy, let parameter, let known):
            "Strategy '\(strategy)' has no parameter '\(parameter)'; its parameters are \(known.isEmpty ? "none" : known.joined(separator: ", "))."
        case .missingParameter(let strategy, let parameter):
            "Strategy '\(strategy)' needs the parameter '\(parameter)'."
        case .invalidParameter(let strategy, let parameter, let value, let expected):
            "Parameter '\(parameter)' of strategy '\(strategy)' is '\(value)', but it must be \(expected)."
        case .catalogueTooLarge(let strategy, let items, let limit, let parameter):
            "Strategy '\(strategy)' refuses \(items) items, above its limit of \(limit); raise '\(parameter)' (memory and time grow as items² and items³) or, for a catalogue this large, use als, bpr or two_tower (their HNSW index keeps a decision's cost nearly flat as items grow), or item_knn."
        case .notAModelFile:
            "The data is not an abctl strategy model file (bad magic bytes); check the path or refit the strategy."
        case .unsupportedFormatVersion(let found, let supported):
            "The model file has format version \(found), but this abctl reads version \(supported); refit the strategy with this abctl."
        case .corruptModel(let strategy, let reason):
            "The saved '\(strategy)' model is corrupt (\(reason)); refit it."
        }
    }
}
