import Foundation
import Testing

@testable import Strategies

/// The HNSW index behind ALS, BPR and two_tower: the graph itself on hand-checked vectors, indexed
/// retrieval against exact scoring of every item (the reference: a full scan cannot miss),
/// exclusions and filters that need a wider search, save/load, and items added online.
@Suite struct NearestNeighbourIndexTests {
    static let data = PlantedData.clusters(seed: 11, users: 300, items: 4_000, clusters: 8, perUser: 15)
    static let exactly: [String: ParameterValue] = ["index_min_items": 1_000_000_000]
    static let alsParameters: [String: ParameterValue] = ["factors": 16, "iterations": 4, "regularization": 0.1, "alpha": 10]
    static let bprParameters: [String: ParameterValue] = ["factors": 16, "iterations": 10]

    static let twoTowerParameters: [String: ParameterValue] = ["dimensions": 16, "epochs": 2, "negative_samples": 8]

    static func parameters(_ name: String) -> [String: ParameterValue] {
        switch name {
        case "als": alsParameters
        case "bpr": bprParameters
        default: twoTowerParameters
        }
    }

    static func fitted(_ name: String, _ extra: [String: ParameterValue]) throws -> any RecommendationStrategy {
        let strategy = try StrategyRegistry.make(name: name, parameters: parameters(name).merging(extra) { $1 })
        try strategy.fit(data.interactions, catalogue: data.catalogue)
        return strategy
    }

    static let units = (0..<300).filter { $0.isMultiple(of: 5) }.map { "user\($0)" }

    /// Four 2-d vectors; for the query (1, 0.5) the inner products are, by hand:
    /// (2, 2) → 3, (1, 0) → 1, (0, 1) → 0.5, (−1, −1) → −1.5.
    @Test func graphReturnsLargestInnerProductsBestFirst() throws {
        let index = try #require(InnerProductIndex(dimensions: 2, capacity: 2, settings: IndexSettings(m: 4, efConstruction: 10)))
        #expect(index.add(rows: [1, 0, 0, 1], firstLabel: 0, threads: 1))
        #expect(index.upsert([2, 2], label: 2))  // past the capacity of 2: the index grows
        #expect(index.upsert([-1, -1], label: 3))
        #expect(index.count == 4)
        let found = index.search([1, 0.5], k: 4, ef: 10)
        #expect(found.map(\.label) == [2, 0, 1, 3])
        #expect(found.map(\.score) == [3, 1, 0.5, -1.5])
        // Moving item 3 to (5, 5) makes it the best: 7.5.
        #expect(index.upsert([5, 5], label: 3))
        #expect(index.count == 4)
        #expect(index.search([1, 0.5], k: 1, ef: 10).map(\.label) == [3])
    }

    @Test func bytesRoundTripAndDamageIsRefused() throws {
        var generator = SeededGenerator(seed: 3)
        let rows = (0..<(500 * 8)).map { _ in Float(generator.normal()) }
        let index = try #require(InnerProductIndex(dimensions: 8, capacity: 500, settings: IndexSettings()))
        #expect(index.add(rows: rows, firstLabel: 0, threads: 2))
        let bytes = index.serialized()
        let loaded = try #require(InnerProductIndex(dimensions: 8, bytes: bytes))
        let query = (0..<8).map { _ in Float(generator.normal()) }
        #expect(loaded.search(query, k: 10, ef: 50).map(\.label) == index.search(query, k: 10, ef: 50).map(\.label))
        #expect(InnerProductIndex(dimensions: 8, bytes: bytes.prefix(bytes.count - 1)) == nil)
        #expect(InnerProductIndex(dimensions: 8, bytes: bytes + Data([0])) == nil)
        #expect(InnerProductIndex(dimensions: 9, bytes: bytes) == nil)
        #expect(InnerProductIndex(dimensions: 8, bytes: Data()) == nil)
        // A neighbour id past the graph: item 0's first level-0 link sits after the header
        // (eleven 8-byte fields, the top level and the entry point of 4 bytes each) and the
        // link count.
        var damaged = bytes
        let link = 11 * 8 + 2 * 4 + 4
        damaged.replaceSubrange(link..<(link + 4), with: [0xFF, 0xFF, 0x00, 0x00])
        #expect(InnerProductIndex(dimensions: 8, bytes: damaged) == nil)
    }

    @Test(arguments: ["als", "bpr", "two_tower"])
    func indexedTopKEqualsExactOnceEfIsLarge(name: String) throws {
        let exact = try Self.fitted(name, Self.exactly)
        let indexed = try Self.fitted(name, ["index_min_items": 0, "index_ef_search": 4_000])
        for unit in Self.units {
            let request = RecommendationRequest(unit: unit, k: 10)
            #expect(indexed.recommend(request).map(\.item) == exact.recommend(request).map(\.item), "\(name) \(unit)")
        }
    }

    @Test func modelBuildsTheIndexOnlyFromItsThreshold() throws {
        let training = TrainingData(interactions: Self.data.interactions, catalogue: Self.data.catalogue)
        for (minimum, active) in [(4_000, true), (4_001, false)] {
            let parameters = Self.alsParameters.merging(["index_min_items": .integer(minimum)]) { $1 }
            var model = ALSModel(parameters: try ResolvedParameters(parameters, for: ALSModel.strategyDescription))
            try model.fit(training)
            #expect(model.index?.isActive == active)
            #expect(model.index?.index?.count == (active ? 4_000 : nil))
        }
    }

    /// A unit that has seen 500 items still gets K fresh ones: the search widens past them.
    @Test(arguments: ["als", "bpr", "two_tower"])
    func fiveHundredExclusionsStillGiveKFreshItems(name: String) throws {
        let exact = try Self.fitted(name, Self.exactly)
        let indexed = try Self.fitted(name, ["index_min_items": 0])
        for unit in Self.units.prefix(10) {
            let seen = Set(exact.recommend(RecommendationRequest(unit: unit, k: 500)).map(\.item))
            #expect(seen.count == 500)
            let request = RecommendationRequest(unit: unit, excludedItems: seen, k: 10)
            let fresh = indexed.recommend(request).map(\.item)
            #expect(fresh.count == 10)
            #expect(seen.isDisjoint(with: fresh))
            // Ranks 501–510 of the exact list; the approximate search may swap an item or two.
            let overlap = Set(fresh).intersection(exact.recommend(request).map(\.item)).count
            #expect(overlap >= 8, "\(name) \(unit): \(overlap) of 10")
        }
    }

    /// A filter that one item in 20 passes: candidates widen 4× per round until 10 pass.
    @Test(arguments: ["als", "bpr", "two_tower"])
    func narrowFilterWidensUntilKPass(name: String) throws {
        let exact = try Self.fitted(name, Self.exactly)
        let indexed = try Self.fitted(name, ["index_min_items": 0])
        let brand = CandidateFilter.attributeEquals(name: "brand", value: "brand7")
        let allowed = Set(Self.data.catalogue.items.filter { $0.attributes["brand"] == "brand7" }.map(\.id))
        for unit in Self.units.prefix(10) {
            let request = RecommendationRequest(unit: unit, k: 10, filter: brand)
            let found = indexed.recommend(request).map(\.item)
            #expect(found.count == 10)
            #expect(Set(found).isSubset(of: allowed))
            let overlap = Set(found).intersection(exact.recommend(request).map(\.item)).count
            #expect(overlap >= 8, "\(name) \(unit): \(overlap) of 10")
        }
    }

    @Test(arguments: ["als", "bpr", "two_tower"])
    func savedIndexLoadsAndAnswersAsBefore(name: String) throws {
        let original = try Self.fitted(name, ["index_min_items": 0, "index_ef_search": 10])
        let loaded = try StrategyRegistry.load(try original.save(fittedAt: nil))
        for unit in Self.units {
            let request = RecommendationRequest(unit: unit, k: 10)
            #expect(loaded.recommend(request) == original.recommend(request))
        }
    }

    /// An item first seen online gets ALS factors and joins the index; later interactions move
    /// it. The index then answers as a full scan of the model's current item factors.
    @Test func observedItemsJoinAndMoveInTheIndex() throws {
        let training = TrainingData(interactions: Self.data.interactions, catalogue: Self.data.catalogue)
        let parameters = Self.alsParameters.merging(["index_min_items": 0]) { $1 }
        var model = ALSModel(parameters: try ResolvedParameters(parameters, for: ALSModel.strategyDescription))
        try model.fit(training)
        let cluster = 3
        let fans = (0..<300).map { "user\($0)" }.filter { unit in
            let items = Self.data.interactions.filter { $0.unit == unit }.map(\.item)
            return items.filter { Self.data.itemGroup[$0] == cluster }.count * 2 > items.count
        }
        #expect(fans.count >= 10)
        var previous: [Float] = []
        for (offset, unit) in fans.prefix(10).enumerated() {
            model.observe(Interaction(unit: unit, item: "launch", event: "purchase", time: 1_800_000_000 + Double(offset)))
            let launch = try #require(model.space.index(of: "launch"))
            let vector = Array(model.itemFactors[(Int(launch) * 16)..<((Int(launch) + 1) * 16)])
            #expect(vector != previous)  // each interaction moves it
            previous = vector
            let graph = try #require(model.index?.index)
            #expect(graph.count == 4_001)
            // The reference: every item's current factors scored one by one.
            for query in [vector, Array(model.userFactors[0..<16])] {
                let scores = (0..<4_001).map { item in
                    zip(query, model.itemFactors[(item * 16)..<((item + 1) * 16)]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                }
                let best = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(10).map(Int32.init)
                #expect(graph.search(query, k: 10, ef: 4_001).map(\.label) == best)
            }
        }
        // The fans' cluster-mates now see the launch among their recommendations.
        let others = (0..<300).map { "user\($0)" }.filter { !fans.prefix(10).contains($0) && fans.contains($0) }
        let reached = others.filter { model.recommend(RecommendationRequest(unit: $0, k: 50)).contains { $0.item == "launch" } }
        #expect(!reached.isEmpty, "the launch reached none of \(others.count) cluster-mates")
    }

    /// A model file written before the index (no index, no online-item state, factors as JSON
    /// numbers) still loads and ranks as it did: exactly.
    @Test(arguments: ["als", "bpr"])
    func modelsSavedBeforeTheIndexStillLoad(name: String) throws {
        let data = PlantedData.clusters(seed: 3, users: 80, items: 60, perUser: 10)
        let strategy = try StrategyRegistry.make(name: name, parameters: Self.parameters(name))
        try strategy.fit(data.interactions, catalogue: data.catalogue)
        let (header, payload) = try ModelFile.decode(try strategy.save(fittedAt: nil))
        var state = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        for key in ["index", "unitGram", "onlineItemRows"] { state[key] = nil }
        for key in ["userFactors", "itemFactors", "itemBias"] {
            guard let packed = state[key] as? String, let bytes = Data(base64Encoded: packed) else { continue }
            state[key] = stride(from: 0, to: bytes.count, by: 4).map { offset in
                Double(Float(bitPattern: bytes[offset..<(offset + 4)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
            }
        }
        #expect(state["itemFactors"] is [Double])
        let older = ModelFile.encode(header: header, payload: try JSONSerialization.data(withJSONObject: state))
        let loaded = try StrategyRegistry.load(older)
        for unit in (0..<80).map({ "user\($0)" }) {
            let request = RecommendationRequest(unit: unit, k: 5)
            #expect(loaded.recommend(request) == strategy.recommend(request))
        }
    }

    /// A two_tower model file written before it had an index still loads, and ranks exactly.
    @Test func twoTowerModelsSavedBeforeTheIndexStillLoad() throws {
        let strategy = try Self.fitted("two_tower", Self.exactly)
        let (header, payload) = try ModelFile.decode(try strategy.save(fittedAt: nil))
        var state = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        #expect(state["index"] != nil)
        state["index"] = nil
        let older = ModelFile.encode(header: header, payload: try JSONSerialization.data(withJSONObject: state))
        let loaded = try StrategyRegistry.load(older)
        for unit in Self.units.prefix(10) {
            let request = RecommendationRequest(unit: unit, k: 10)
            #expect(loaded.recommend(request) == strategy.recommend(request))
        }
    }

    @Test func easeRefusalNamesWhatToUseInstead() throws {
        let message = StrategyError.catalogueTooLarge(strategy: "ease", items: 200_000, limit: 5_000, parameter: "max_items").description
        #expect(message.contains("max_items"))
        #expect(message.contains("als, bpr or two_tower"))
    }
}
