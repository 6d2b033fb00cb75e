import Foundation
import Storage
import Strategies
import Testing

/// An ALS arm whose saved model carries its HNSW index: `abctl serve` loads the graph from the
/// model file and answers decisions through it, as exact scoring of every item would.
@Suite("An indexed ALS arm served from its model file")
struct IndexedArmServingTests {
    static let spec = """
        name: indexed
        status: running
        sticky: false
        arms:
          - {key: control, strategy: als, control: true, weight: 0.5, params: {factors: 8, iterations: 4, index_min_items: 0, index_ef_search: 400}}
          - {key: twin, strategy: als, weight: 0.5, params: {factors: 8, iterations: 4, index_min_items: 0, index_ef_search: 400}}
        metrics:
          primary: ctr
        """

    @Test("decisions through the loaded index equal exact scoring once ef covers the catalogue")
    func servedListsEqualExactScoring() async throws {
        // 300 items; unit u_i clicks items 2i, 2i+1, …, 2i+7 (mod 300): overlapping bands.
        let items = (0..<300).map { "item\($0)" }
        let history = (0..<120).flatMap { unit in
            (0..<8).map { step in Interaction(unit: "u\(unit)", item: items[(unit * 2 + step) % 300], time: 1_800_000_000 + Double(step)) }
        }
        let catalogue = ItemCatalogue(items: items.map { CatalogueItem(id: $0) })
        let parameters: [String: ParameterValue] = ["factors": 8, "iterations": 4, "index_min_items": 0, "index_ef_search": 400]
        let indexed = try StrategyRegistry.make(name: "als", parameters: parameters)
        try indexed.fit(history, catalogue: catalogue)
        let exact = try StrategyRegistry.make(name: "als", parameters: parameters.merging(["index_min_items": 1_000_000_000]) { $1 })
        try exact.fit(history, catalogue: catalogue)
        try await ServerFixture.with { fixture in
            // Both arms serve the same file, so every unit gets the indexed model's answer.
            let file = try indexed.save(fittedAt: 1_800_000_000)
            for arm in ["control", "twin"] {
                _ = try ModelDirectory(explicit: fixture.modelsDirectory.path).write(file, experiment: "indexed", arm: arm)
            }
            _ = try fixture.apply(Self.spec)
            try await fixture.test { client in
                for unit in stride(from: 0, to: 120, by: 7).map({ "u\($0)" }) {
                    let answer = try await client.post("/v1/decisions", #"{"experiment":"indexed","unit_id":"\#(unit)","k":10}"#)
                    #expect(answer.status == 200)
                    let served = (answer.body["items"] as? [[String: Any]] ?? []).compactMap { $0["item_id"] as? String }
                    let expected = exact.recommend(RecommendationRequest(unit: unit, k: 10)).map(\.item)
                    #expect(served.count == 10)
                    #expect(served == expected, "\(unit)")
                }
            }
        }
    }
}
