import Testing

@testable import Strategies

/// Top-K selection, exclusion and candidate filters.
@Suite struct RankingMechanicsTests {
    @Test func heapSelectionMatchesFullSort() {
        var generator = SeededGenerator(seed: 5)
        // Few distinct values, so ties are common; ties go to the lower index.
        let scores = (0..<1000).map { _ in Float(generator.below(50)) }
        var heap = TopK(capacity: 25)
        for (index, score) in scores.enumerated() { heap.offer(score, Int32(index)) }
        let expected = scores.enumerated().sorted { ($0.element, -$0.offset) > ($1.element, -$1.offset) }.prefix(25)
        #expect(heap.sorted().map(\.item) == expected.map { Int32($0.offset) })
    }

    /// `Ranker.top(dense:)` against a full sort by (score descending, index ascending), the
    /// definition of the top K: scores with many ties (the scan's bar is strict once the heap is
    /// full), all-equal scores, −∞ scores that still fill a short list, NaN skipped, exclusions.
    @Test func denseSelectionMatchesFullSortWithTiesAndExclusions() {
        var generator = SeededGenerator(seed: 11)
        let ids = (0..<500).map { "i\($0)" }
        let space = ItemSpace(ids: ids, attributes: Array(repeating: [:], count: ids.count))
        let cases: [(scores: [Float], k: Int, excluded: Set<Int>)] = [
            ((0..<500).map { _ in Float(generator.below(7)) }, 20, [3, 4, 5, 100]),
            ([Float](repeating: 2, count: 500), 10, [0, 2]),
            ((0..<500).map { $0 < 490 ? Float.nan : ($0 % 2 == 0 ? -.infinity : 1) }, 8, [491]),
        ]
        for (scores, k, excluded) in cases {
            let request = RecommendationRequest(unit: "u", excludedItems: Set(excluded.map { ids[$0] }), k: k)
            let got = Ranker(space: space, request: request).top(dense: scores).map(\.item)
            let expected = scores.enumerated()
                .filter { !$0.element.isNaN && !excluded.contains($0.offset) }
                .sorted { ($0.element, -$0.offset) > ($1.element, -$1.offset) }
                .prefix(k).map { ids[$0.offset] }
            #expect(got == Array(expected))
        }
    }

    @Test func filtersAndExclusionsAreHonoured() throws {
        let items = (0..<40).map { CatalogueItem(id: "item\($0)", attributes: ["shelf": "shelf\($0 % 4)", "brand": "b\($0 % 5)"]) }
        let interactions = (0..<40).flatMap { item in
            (0...item).map { Interaction(unit: "u\($0)", item: "item\(item)", time: Double(item * 100 + $0)) }
        }
        let popularity = try StrategyRegistry.make(name: "popularity")
        try popularity.fit(interactions, catalogue: ItemCatalogue(items: items))
        let plain = popularity.recommend(RecommendationRequest(unit: "x", k: 3)).map(\.item)
        #expect(plain == ["item39", "item38", "item37"])
        let shelf = popularity.recommend(
            RecommendationRequest(unit: "x", excludedItems: ["item37"], k: 3, filter: .attributeEquals(name: "shelf", value: "shelf1"))
        ).map(\.item)
        #expect(shelf == ["item33", "item29", "item25"])
        let combined = popularity.recommend(
            RecommendationRequest(
                unit: "x",
                k: 2,
                filter: .all([.attributeIn(name: "shelf", values: ["shelf0", "shelf2"]), .attributeEquals(name: "brand", value: "b0")])
            )
        ).map(\.item)
        // Shelf 0 or 2 means an even index; brand b0 means a multiple of 5: multiples of 10.
        #expect(combined == ["item30", "item20"])
    }
}
