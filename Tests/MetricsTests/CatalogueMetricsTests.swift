import Foundation
import Testing

@testable import Metrics

/// Coverage, popularity percentile and novelty across a set of lists, computed by hand.
struct CatalogueMetricsTests {
    let lists = [["a", "b"], ["b", "c"]]

    @Test func coverageIsDistinctRecommendedOverCatalogue() {
        #expect(CatalogueMetrics.coverage(of: lists, catalogueSize: 5) == 0.6)  // {a, b, c} / 5
        #expect(CatalogueMetrics.coverage(of: lists, catalogueSize: 0) == 0)
    }

    @Test func popularityPercentileUsesMidRanks() {
        // Popularity a 10, b 5, c 1, d 5, e 0 → sorted 0, 1, 5, 5, 10.
        // a: 4 below + ½·1 equal → 4.5/5 = 0.9; b: 2 below + ½·2 → 3/5 = 0.6; c: 1 + ½ → 1.5/5 = 0.3.
        // Mean over a, b, b, c = (0.9 + 0.6 + 0.6 + 0.3) / 4 = 0.6.
        let popularity: [String: Double] = ["a": 10, "b": 5, "c": 1, "d": 5, "e": 0]
        #expect(abs(CatalogueMetrics.meanPopularityPercentile(of: lists, popularity: popularity) - 0.6) < 1e-15)
        #expect(CatalogueMetrics.meanPopularityPercentile(of: [[String]](), popularity: popularity) == 0)
    }

    @Test func noveltyIsMeanSelfInformation() {
        // 100 users: a touched by 50 → −log2 0.5 = 1; b by 25 → 2; c by none → p = 1/101 → log2 101 = 6.658211.
        // Mean over a, b, b, c = (1 + 2 + 2 + 6.658211) / 4 = 2.914553.
        let users = ["a": 50, "b": 25]
        let novelty = CatalogueMetrics.novelty(of: lists, interactingUsers: users, userCount: 100)
        #expect(abs(novelty - (5 + log2(101.0)) / 4) < 1e-12)
        #expect(abs(novelty - 2.914553) < 1e-6)
    }
}
