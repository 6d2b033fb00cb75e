import Testing

@testable import Strategies

/// Wrong parameters are refused with errors that name the parameter.
@Suite struct ParameterValidationTests {
    @Test(
        arguments: [
            ("als", ["factors": "0"], "factors"),
            ("als", ["factors": "many"], "factors"),
            ("als", ["regularization": -1.0], "regularization"),
            ("item_knn", ["similarity": "jaccard"], "similarity"),
            ("item_knn", ["neighbors": 10], "neighbors"),
            ("popularity", ["half_life_hours": "soon"], "half_life_hours"),
            ("hybrid", [:], "components"),
            ("hybrid", ["components": "als:heavy"], "components"),
            ("hybrid", ["components": "hybrid:1"], "components"),
            ("hybrid", ["components": "magic:1"], "components"),
            ("hybrid", ["components": .strategies([StrategyComponent(strategy: "als", parameters: ["factors": -3])])], "factors"),
            ("ease", ["max_items": 0], "max_items"),
        ] as [(String, [String: ParameterValue], String)]
    )
    func badParameterIsNamed(strategy: String, parameters: [String: ParameterValue], culprit: String) {
        do {
            _ = try StrategyRegistry.make(name: strategy, parameters: parameters)
            Issue.record("\(strategy) accepted \(parameters)")
        } catch {
            #expect(error.description.contains("'\(culprit)'"), "\(error)")
        }
    }

    @Test func textValuesAreConvertedAndDefaultsFilled() throws {
        let strategy = try StrategyRegistry.make(name: "als", parameters: ["factors": "8", "alpha": "2.5"])
        #expect(strategy.parameters["factors"] == .integer(8))
        #expect(strategy.parameters["alpha"] == .real(2.5))
        #expect(strategy.parameters["iterations"] == .integer(15))
    }

    @Test func unknownAndEdgeStrategiesAreExplained() {
        #expect(throws: StrategyError.unknownStrategy(name: "magic", known: StrategyRegistry.catalog.names)) {
            try StrategyRegistry.make(name: "magic")
        }
        #expect(throws: StrategyError.self) { try StrategyRegistry.make(name: "remote", parameters: ["url": "http://x"]) }
    }

    @Test func easeRefusesCatalogueAboveLimit() throws {
        let ease = try StrategyRegistry.make(name: "ease", parameters: ["max_items": 10])
        let catalogue = ItemCatalogue(ids: (0..<11).map { "item\($0)" })
        #expect(throws: StrategyError.catalogueTooLarge(strategy: "ease", items: 11, limit: 10, parameter: "max_items")) {
            try ease.fit([Interaction(unit: "u", item: "item0", time: 0)], catalogue: catalogue)
        }
    }

    @Test func catalogueListsEveryStrategyAndRemote() {
        let names = StrategyCatalog.standard.names
        #expect(names == ["popularity", "item_knn", "content", "als", "bpr", "markov", "ease", "hybrid", "gru4rec", "two_tower", "remote"])
        let remote = StrategyCatalog.standard.description(named: "remote")
        #expect(remote?.parameter(named: "url")?.isRequired == true)
        #expect(remote?.parameter(named: "timeout_ms")?.kind == .integer(minimum: 1, maximum: 10_000))
        #expect(remote?.parameter(named: "fallback")?.defaultValue == "popularity")
        // Every default must pass its own validation.
        for description in StrategyCatalog.standard.descriptions where description.name != "remote" {
            let required = description.parameters.filter(\.isRequired).map(\.name)
            let given: [String: ParameterValue] = Dictionary(uniqueKeysWithValues: required.map { ($0, .text("popularity")) })
            #expect(throws: Never.self) { try StrategyRegistry.make(name: description.name, parameters: given) }
        }
    }
}
