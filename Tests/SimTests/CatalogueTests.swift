import Foundation
import Testing

@testable import Sim

/// The catalogue's observable fields carry the latent structure.
@Suite struct CatalogueTests {
    /// Zipf: sorted shares satisfy share(1) / share(r) = r^s exactly; s = 1 here.
    @Test func popularityIsZipf() {
        let world = TestWorlds.world()
        let shares = world.items.map(\.popularity).sorted(by: >)
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
        for rank in [2, 10, 100, 300] { #expect(abs(shares[0] / shares[rank - 1] - Double(rank)) < 1e-9) }
    }

    /// Bodies draw 70 % of their words from the cluster's vocabulary (ItemText.body), so the
    /// share over all items is 0.7 within a few standard errors (~9 000 words: SE 0.005).
    @Test func textReflectsTheCluster() {
        let world = TestWorlds.world()
        var own = 0
        var total = 0
        for item in world.items {
            let vocabulary = Set(ItemText.themes[item.cluster].words)
            #expect(item.category == ItemText.themes[item.cluster].category)
            let words = item.body.lowercased().split { !$0.isLetter && $0 != "-" }.map(String.init)
            let counted = words.filter { $0 != "limited" && $0 != "edition" || vocabulary.contains($0) }
            total += counted.count
            own += counted.filter(vocabulary.contains).count
        }
        #expect(abs(Double(own) / Double(total) - 0.7) < 0.03)
    }

    @Test func attributesAndSuccessorsAreWellFormed() {
        let world = TestWorlds.world()
        for (index, item) in world.items.enumerated() {
            #expect(item.id == "i\(index + 1)")
            #expect(item.priceBand == (item.price < 20 ? "low" : item.price < 100 ? "mid" : "high"))
            #expect(item.successors.count == 3 && Set(item.successors).count == 3 && !item.successors.contains(index))
            #expect(item.features.count == 12)
        }
        for user in world.users { #expect(abs(user.clusterWeights.reduce(0, +) - 1) < 1e-9) }
    }
}

/// Degenerate configurations still give a usable world instead of a crash.
@Suite struct DegenerateConfigurationTests {
    @Test func countsBelowOneAreRaisedToOne() {
        var configuration = WorldConfiguration(seed: 2)
        configuration.itemCount = 0
        configuration.userCount = -3
        configuration.clusterCount = 0
        configuration.tasteConcentration = 0
        var world = World(configuration)
        #expect(world.items.count == 1 && world.users.count == 1)
        #expect(world.items[0].successors.isEmpty)
        // One item at position 1: expected clicks equal its click probability, never NaN.
        let reward = world.expectedReward(of: ["i1"], for: "anyone", at: TestWorlds.start)
        #expect(reward.expectedClicks > 0 && reward.expectedClicks < 1)
        _ = world.respond(unit: "anyone", items: ["i1", "i1"], at: TestWorlds.start)
        #expect(world.history(days: 3, start: TestWorlds.start).allSatisfy { $0.itemID == "i1" })
    }
}
