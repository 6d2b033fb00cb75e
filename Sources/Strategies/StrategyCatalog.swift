/// The strategies a spec may name, with their parameters. The registry of fitted
/// implementations builds on this list; spec validation reads it.
public struct StrategyCatalog: Sendable {
    public var descriptions: [StrategyDescription]

    public init(descriptions: [StrategyDescription]) {
        self.descriptions = descriptions
    }

    /// The description of the strategy called `name`, if there is one.
    public func description(named name: String) -> StrategyDescription? {
        descriptions.first { $0.name == name }
    }

    /// All strategy names, in catalogue order.
    public var names: [String] { descriptions.map(\.name) }
}

extension StrategyCatalog {
    /// The strategies abctl ships, from the registry of implementations (plus `remote`,
    /// provided by the server edge).
    public static let standard = StrategyRegistry.catalog
}
