import Foundation
import Testing

@testable import Strategies

/// Saved models load back into strategies that recommend and learn exactly as the originals.
@Suite struct PersistenceTests {
    static let data = PlantedData.clusters(seed: 3, users: 80, items: 60, perUser: 10)

    static let configurations: [(String, [String: ParameterValue])] = [
        ("popularity", ["half_life_hours": 2]),
        ("item_knn", ["similarity": "asymmetric_cosine", "alpha": 0.3]),
        ("content", [:]),
        ("als", ["factors": 8, "iterations": 3]),
        ("bpr", ["factors": 8, "iterations": 5]),
        ("markov", [:]),
        ("ease", ["lambda": 10]),
        ("hybrid", ["mode": "fallback", "components": "item_knn,popularity"]),
    ]

    @Test(arguments: configurations)
    func roundTripGivesIdenticalRecommendations(name: String, parameters: [String: ParameterValue]) throws {
        let original = try StrategyRegistry.make(name: name, parameters: parameters)
        try original.fit(Self.data.interactions, catalogue: Self.data.catalogue)
        let file = try original.save(fittedAt: 1_750_000_000)
        let loaded = try StrategyRegistry.load(file)
        #expect(loaded.name == name)
        #expect(loaded.parameters == original.parameters)
        #expect(loaded.dataWindow == original.dataWindow)
        let header = try StrategyRegistry.header(of: file)
        #expect(header.strategy == name)
        #expect(header.fittedAt == 1_750_000_000)
        #expect(header.dataWindow?.count == Self.data.interactions.count)
        #expect(header.dataWindow?.firstTime == Self.data.interactions.map(\.time).min())
        let requests = (0..<20).map {
            RecommendationRequest(unit: "user\($0)", recentItems: ["item\($0)"], excludedItems: ["item1"], k: 10)
        }
        for request in requests { #expect(loaded.recommend(request) == original.recommend(request)) }
        // Both learn the same from the same new interaction.
        let news = Interaction(unit: "user0", item: "item5", event: "purchase", time: 1_800_000_000)
        original.observe(news)
        loaded.observe(news)
        for request in requests.prefix(3) { #expect(loaded.recommend(request) == original.recommend(request)) }
    }

    @Test func foreignDataIsNotAModelFile() {
        #expect(throws: StrategyError.notAModelFile) { try StrategyRegistry.load(Data("{\"factors\": 3}".utf8)) }
        #expect(throws: StrategyError.notAModelFile) { try StrategyRegistry.load(Data()) }
    }

    @Test func corruptModelsAreRefusedWithReasons() throws {
        let strategy = try StrategyRegistry.make(name: "markov")
        try strategy.fit(Self.data.interactions, catalogue: Self.data.catalogue)
        let file = try strategy.save(fittedAt: nil)

        var newerVersion = file
        newerVersion[11] = 9
        #expect(throws: StrategyError.unsupportedFormatVersion(found: 9, supported: 1)) { try StrategyRegistry.load(newerVersion) }

        let truncated = file.prefix(file.count - 40)
        let error = try #require(throws: StrategyError.self) { try StrategyRegistry.load(Data(truncated)) }
        guard case .corruptModel(let name, _) = error else {
            Issue.record("expected corruptModel, got \(error)")
            return
        }
        #expect(name == "markov")
        #expect(error.description.contains("refit"))
    }

    @Test func unknownStrategyInFileIsNamed() throws {
        let header = ModelHeader(strategy: "neural_magic", parameters: [:], dataWindow: nil, fittedAt: nil)
        let file = ModelFile.encode(header: header, payload: Data("{}".utf8))
        let error = try #require(throws: StrategyError.self) { try StrategyRegistry.load(file) }
        #expect(error.description.contains("neural_magic"))
    }
}
