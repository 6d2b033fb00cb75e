import Foundation
import Testing

@testable import Sim

/// A drift changes a cluster's appeal from its time on, and not before.
@Suite struct DriftTests {
    /// Drift adds 2 to the click logit of cluster 0's items. Views do not depend on the drift,
    /// so each cluster-0 view's click probability goes from sigmoid(x) to sigmoid(x + 2); for
    /// x ≤ 0 that ratio, (1 + e^−x) / (1 + e^−x−2), is at least 2 / (1 + e^−2) = 1.76 (and
    /// tends to e² for small x). Other clusters are unchanged, so the odds of a click being from
    /// cluster 0 grow by at least 1.76 in expectation; we require 1.5. A low intercept and no
    /// popularity term keep every click probability below 0.5 (x < 0), which the test checks first.
    @Test func clusterShareOfClicksRisesAfterTheDrift() throws {
        var configuration = TestWorlds.configuration(users: 1500)
        configuration.clickIntercept = -4.5
        configuration.popularityWeight = 0
        configuration.sessionsPerUserPerDay = 1
        configuration.drift = Drift(time: TestWorlds.start + 7 * 86_400, cluster: 0, appealShift: 2)
        let world = World(configuration)
        let before = TestWorlds.start
        for user in world.users.indices {
            for item in world.items.indices {
                #expect(world.clickProbability(unit: world.users[user].id, item: item, at: before, device: "desktop") < 0.5)
            }
        }
        var clicks = [[0, 0], [0, 0]]  // [period][other, cluster 0]
        for row in world.history(days: 14, start: TestWorlds.start) where row.eventType == .click {
            let item = try #require(world.itemIndex(of: row.itemID))
            let period = row.occurredAt >= configuration.drift!.time ? 1 : 0
            clicks[period][world.items[item].cluster == 0 ? 1 : 0] += 1
        }
        let oddsBefore = Double(clicks[0][1]) / Double(clicks[0][0])
        let oddsAfter = Double(clicks[1][1]) / Double(clicks[1][0])
        #expect(clicks[0][1] >= 50, "too few cluster-0 clicks before the drift to judge: \(clicks)")
        #expect(oddsAfter > 1.5 * oddsBefore, "odds before \(oddsBefore), after \(oddsAfter)")
    }

    @Test func clickProbabilityChangesOnlyFromTheDriftTime() throws {
        var configuration = TestWorlds.configuration()
        let time = TestWorlds.start + 86_400
        configuration.drift = Drift(time: time, cluster: 2, appealShift: 1.5)
        let world = World(configuration)
        let affected = try #require(world.items.firstIndex { $0.cluster == 2 })
        let other = try #require(world.items.firstIndex { $0.cluster != 2 })
        func logit(_ p: Double) -> Double { log(p / (1 - p)) }
        let early = world.clickProbability(unit: "u1", item: affected, at: time - 1)
        let late = world.clickProbability(unit: "u1", item: affected, at: time)
        #expect(abs(logit(late) - logit(early) - 1.5) < 1e-9)
        #expect(world.clickProbability(unit: "u1", item: other, at: time - 1) == world.clickProbability(unit: "u1", item: other, at: time))
    }

    /// With `tasteRetention` r, the taste term taste·features of every item is scaled by r from
    /// the drift's time on; the intercept and popularity terms stay. So for an item outside
    /// the drifting cluster, logit(after) − base = r × (logit(before) − base), base being
    /// intercept + popularityWeight × ln(N × popularity) (no device given).
    @Test func tasteRetentionScalesTheTasteTermOnlyFromTheDriftTime() throws {
        var configuration = TestWorlds.configuration()
        let time = TestWorlds.start + 86_400
        configuration.drift = Drift(time: time, cluster: 2, appealShift: 1.5, tasteRetention: 0.25)
        let world = World(configuration)
        func logit(_ p: Double) -> Double { log(p / (1 - p)) }
        for item in world.items.indices.filter({ world.items[$0].cluster != 2 }).prefix(20) {
            let base = configuration.clickIntercept + configuration.popularityWeight * log(Double(world.items.count) * world.items[item].popularity)
            let before = logit(world.clickProbability(unit: "u3", item: item, at: time - 1)) - base
            let after = logit(world.clickProbability(unit: "u3", item: item, at: time)) - base
            #expect(abs(after - 0.25 * before) < 1e-9, "item \(item): taste term \(before) → \(after)")
        }
        // An item of the drifting cluster also gains the shift: 0.25 × taste + 1.5.
        let trending = try #require(world.items.firstIndex { $0.cluster == 2 })
        let base = configuration.clickIntercept + configuration.popularityWeight * log(Double(world.items.count) * world.items[trending].popularity)
        let before = logit(world.clickProbability(unit: "u3", item: trending, at: time - 1)) - base
        let after = logit(world.clickProbability(unit: "u3", item: trending, at: time)) - base
        #expect(abs(after - (0.25 * before + 1.5)) < 1e-9)
        // Out-of-range retentions are clamped to [0, 1].
        #expect(Drift(time: time, tasteRetention: 1.7).tasteRetention == 1)
        #expect(Drift(time: time, tasteRetention: -1).tasteRetention == 0)
    }
}
