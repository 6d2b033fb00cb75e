import Testing

@testable import Strategies

@Suite struct NeuralAcceptanceTests {
    static let routeData = NeuralTestData.routes(seed: 5)
    static let routeSplit = LeaveLastOut(routeData.interactions)

    @Test func gruBeatsItemKNNAndMarkovOnRoutes() throws {
        let catalogue = Self.routeData.catalogue
        let knn = try Self.routeSplit.score("item_knn", catalogue: catalogue)
        let markov = try Self.routeSplit.score("markov", catalogue: catalogue)
        let clock = ContinuousClock()
        let start = clock.now
        print("knn+markov", start - clock.now)
        let gru = try TrainingProgress.$observer.withValue({ e, l, v in print("epoch", e, l, v ?? -1, clock.now - start) }) { try Self.routeSplit.score(
            "gru4rec",
            ["embedding_size": 16, "hidden_size": 32, "epochs": 4, "negative_samples": 16, "patience": 0, "validation_fraction": 0.1],
            catalogue: catalogue
        ) }
        print("knn \(knn) markov \(markov) gru \(gru)")
        #expect(gru >= markov + 0.05)
    }

    static let coldData = NeuralTestData.coldItems(seed: 9)
    static let coldSplit = LeaveLastOut(coldData.interactions)

    @Test func twoTowerBeatsPopularityOnColdItems() throws {
        let catalogue = Self.coldData.catalogue
        let popularity = try Self.coldSplit.score("popularity", catalogue: catalogue)
        let clock = ContinuousClock()
        let start = clock.now
        let twoTower = try TrainingProgress.$observer.withValue({ e, l, v in print("tt epoch", e, l, v ?? -1, clock.now - start) }) {
            try Self.coldSplit.score("two_tower", ["dimensions": 16, "epochs": 5, "negative_samples": 16, "patience": 0], catalogue: catalogue)
        }
        let content = try Self.coldSplit.score("content", catalogue: catalogue)
        print("popularity \(popularity) two_tower \(twoTower) content \(content)")
        #expect(twoTower >= popularity + 0.1)
    }
}
