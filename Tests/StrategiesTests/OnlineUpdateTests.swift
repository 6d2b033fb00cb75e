import Testing

@testable import Strategies

/// Observed interactions change the next recommendation without a refit.
@Suite struct OnlineUpdateTests {
    static let clusters = OfflineQualityTests.clusterData
    static let sequences = OfflineQualityTests.sequenceData
    static let start = 1_800_000_000.0

    @Test func markovLearnsNewTransitionOnline() throws {
        let markov = try StrategyRegistry.make(name: "markov")
        try markov.fit(Self.sequences.interactions, catalogue: Self.sequences.catalogue)
        let source = "item3"
        let planted = try #require(Self.sequences.successor[source])
        let newcomer = try #require(Self.sequences.catalogue.items.map(\.id).first { $0 != planted && $0 != source })
        let probe = RecommendationRequest(unit: "probe", recentItems: [source], k: 1)
        #expect(markov.recommend(probe).first?.item == planted)
        // About 400·12·0.8/300 ≈ 13 planted transitions leave item3; 40 new ones outweigh them.
        for unit in 0..<40 {
            let time = Self.start + Double(unit) * 600
            markov.observe(Interaction(unit: "online\(unit)", item: source, event: "view", time: time))
            markov.observe(Interaction(unit: "online\(unit)", item: newcomer, event: "view", time: time + 30))
        }
        #expect(markov.recommend(probe).first?.item == newcomer)
    }

    /// Pairs two hours apart cross the 30-minute session gap, so they teach no transition.
    @Test func markovIgnoresTransitionsAcrossSessionGaps() throws {
        let markov = try StrategyRegistry.make(name: "markov")
        try markov.fit(Self.sequences.interactions, catalogue: Self.sequences.catalogue)
        let source = "item3"
        let planted = try #require(Self.sequences.successor[source])
        let newcomer = try #require(Self.sequences.catalogue.items.map(\.id).first { $0 != planted && $0 != source })
        for unit in 0..<40 {
            let time = Self.start + Double(unit) * 100_000
            markov.observe(Interaction(unit: "online\(unit)", item: source, event: "view", time: time))
            markov.observe(Interaction(unit: "online\(unit)", item: newcomer, event: "view", time: time + 7_200))
        }
        #expect(markov.recommend(RecommendationRequest(unit: "probe", recentItems: [source], k: 1)).first?.item == planted)
    }

    /// A product launched after the fit is learned by the strategies that can grow.
    @Test func itemsFirstSeenOnlineJoinPopularityMarkovAndKNN() throws {
        let data = Self.sequences
        let strategies = try ["popularity", "markov", "item_knn"].map { try StrategyRegistry.make(name: $0) }
        for strategy in strategies { try strategy.fit(data.interactions, catalogue: data.catalogue) }
        // The most popular sequence item is seen about 400·12/300 ≈ 16 times; 60 launches beat it.
        for unit in 0..<60 {
            let time = Self.start + Double(unit) * 600
            for strategy in strategies {
                strategy.observe(Interaction(unit: "launch\(unit)", item: "item3", event: "view", time: time))
                strategy.observe(Interaction(unit: "launch\(unit)", item: "launched", event: "view", time: time + 30))
            }
        }
        let probe = RecommendationRequest(unit: "probe", recentItems: ["item3"], excludedItems: ["item3"], k: 1)
        for strategy in strategies { #expect(strategy.recommend(probe).first?.item == "launched", "\(strategy.name)") }
    }

    @Test func popularityLearnsWithoutAFit() throws {
        let popularity = try StrategyRegistry.make(name: "popularity", parameters: ["half_life_hours": 1])
        for (offset, item) in ["a", "b", "b", "c", "b", "a"].enumerated() {
            popularity.observe(Interaction(unit: "u", item: item, time: 1_700_000_000 + Double(offset)))
        }
        #expect(popularity.recommend(RecommendationRequest(unit: "x", k: 3)).map(\.item) == ["b", "a", "c"])
    }

    @Test func itemKNNLearnsNewCooccurrenceOnline() throws {
        let knn = try StrategyRegistry.make(name: "item_knn")
        try knn.fit(Self.clusters.interactions, catalogue: Self.clusters.catalogue)
        let groups = Self.clusters.itemGroup
        let anchor = "item0"
        let stranger = try #require(groups.keys.sorted().first { groups[$0] != groups[anchor] })
        let probe = RecommendationRequest(unit: "probe", recentItems: [anchor], k: 1)
        #expect(knn.recommend(probe).first?.item != stranger)
        for unit in 0..<60 {
            let time = Self.start + Double(unit) * 600
            knn.observe(Interaction(unit: "online\(unit)", item: anchor, time: time))
            knn.observe(Interaction(unit: "online\(unit)", item: stranger, time: time + 30))
        }
        #expect(knn.recommend(probe).first?.item == stranger)
    }

    /// A burst ten half-lives after the data outweighs history under trending, not all-time counts.
    @Test func popularityBurstTopsTrendingOnly() throws {
        let trending = try StrategyRegistry.make(name: "popularity", parameters: ["half_life_hours": 1])
        let allTime = try StrategyRegistry.make(name: "popularity")
        let data = Self.clusters
        for strategy in [trending, allTime] { try strategy.fit(data.interactions, catalogue: data.catalogue) }
        let probe = RecommendationRequest(unit: "anyone", k: 300)
        let rare = try #require(allTime.recommend(probe).last?.item)
        let lastTime = try #require(data.interactions.map(\.time).max())
        for index in 0..<20 {
            let burst = Interaction(unit: "burst\(index)", item: rare, time: lastTime + 36_000 + Double(index))
            trending.observe(burst)
            allTime.observe(burst)
        }
        #expect(trending.recommend(probe).first?.item == rare)
        #expect(allTime.recommend(probe).first?.item != rare)
    }

    @Test(arguments: ["als", "bpr", "content"])
    func newUnitMovesTowardItsCluster(name: String) throws {
        let parameters: [String: ParameterValue] =
            switch name {
            case "als": OfflineQualityTests.smallALS
            case "bpr": ["factors": 16, "iterations": 30]
            default: [:]
            }
        let strategy = try StrategyRegistry.make(name: name, parameters: parameters)
        let data = Self.clusters
        try strategy.fit(data.interactions, catalogue: data.catalogue)
        #expect(strategy.recommend(RecommendationRequest(unit: "newcomer")).isEmpty)
        let cluster = 2
        let members = data.catalogue.items.map(\.id).filter { data.itemGroup[$0] == cluster }
        for (offset, item) in members.prefix(5).enumerated() {
            strategy.observe(Interaction(unit: "newcomer", item: item, time: Self.start + Double(offset)))
        }
        let recommended = strategy.recommend(RecommendationRequest(unit: "newcomer", excludedItems: Set(members.prefix(5)), k: 10))
        let inCluster = recommended.filter { data.itemGroup[$0.item] == cluster }.count
        // A random list would hold about 10/6 ≈ 2 items of the cluster.
        #expect(inCluster >= 7, "\(name): \(inCluster) of 10 in the cluster")
    }
}
