import Foundation
import Testing

@testable import Sim

/// The expected reward is the truth the simulated feedback averages to.
@Suite struct GroundTruthTests {
    /// Per user: the best list holds the ten items of highest click probability in decreasing
    /// order (by the rearrangement inequality this maximises Σ exam(p) × P(click)); the random
    /// list holds ten random items. Each is shown 20 times to each of 200 users.
    @Test func bestListBeatsRandomAndExpectedRewardMatchesTheSimulatedMean() {
        var world = TestWorlds.world()
        var sampler = SplitMix64Sampler(seed: 21)
        var best = Tally()
        var random = Tally()
        for user in world.users.prefix(200) {
            let ranked = world.items.indices.sorted {
                world.clickProbability(unit: user.id, item: $0, at: TestWorlds.start)
                    > world.clickProbability(unit: user.id, item: $1, at: TestWorlds.start)
            }
            let bestList = ranked.prefix(10).map { world.items[$0].id }
            for _ in 0..<20 {
                let randomList = (0..<10).map { _ in world.items[sampler.int(below: world.items.count)].id }
                for (list, tally) in [(bestList, 0), (randomList, 1)] {
                    let truth = world.expectedReward(of: list, for: user.id, at: TestWorlds.start)
                    let events = world.respond(unit: user.id, items: list, at: TestWorlds.start)
                    let clicks = Double(events.filter { $0.eventType == .click }.count)
                    let bought = events.contains { $0.eventType == .purchase }
                    if tally == 0 { best.add(clicks, truth, bought) } else { random.add(clicks, truth, bought) }
                }
            }
        }
        #expect(best.meanClicks > random.meanClicks + 10 * (best.standardError + random.standardError))
        // The simulated means agree with the average expected reward within four standard errors.
        for tally in [best, random] {
            #expect(abs(tally.meanClicks - tally.meanExpectedClicks) < 4 * tally.standardError)
            let purchaseRate = Double(tally.purchases) / Double(tally.count)
            let purchaseSE = (tally.meanPurchaseProbability * (1 - tally.meanPurchaseProbability) / Double(tally.count)).squareRoot()
            #expect(abs(purchaseRate - tally.meanPurchaseProbability) < 4 * purchaseSE + 1e-9)
        }
    }

    /// No list of ten items has more expected clicks than the ideal ranking (rearrangement
    /// inequality: the largest click probabilities belong at the most examined positions), so
    /// it beats random lists and shuffles of itself (100 each for five users).
    @Test func idealRankingHasTheMostExpectedClicks() {
        let world = TestWorlds.world()
        var sampler = SplitMix64Sampler(seed: 4)
        for user in world.users.prefix(5) {
            let ideal = world.idealRanking(for: user.id, at: TestWorlds.start, count: 10)
            let best = world.expectedReward(of: ideal, for: user.id, at: TestWorlds.start).expectedClicks
            #expect(ideal.count == 10 && Set(ideal).count == 10)
            for _ in 0..<100 {
                let random = (0..<10).map { _ in world.items[sampler.int(below: world.items.count)].id }
                #expect(world.expectedReward(of: random, for: user.id, at: TestWorlds.start).expectedClicks <= best)
                var shuffled = ideal
                for index in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(index, sampler.int(below: index + 1)) }
                #expect(world.expectedReward(of: shuffled, for: user.id, at: TestWorlds.start).expectedClicks <= best + 1e-12)
            }
        }
    }

    @Test func expectedRewardByHandForOneItemLists() throws {
        let world = TestWorlds.world()
        // A single item at position 1 (examined with probability 1/log2(2) = 1):
        // clicks = P(click), purchase = P(click) × 0.3 × 0.4, revenue = purchase × price.
        let item = 7
        let p = world.clickProbability(unit: "u1", item: item, at: TestWorlds.start)
        let reward = world.expectedReward(of: [world.items[item].id, "no-such-item"], for: "u1", at: TestWorlds.start)
        #expect(abs(reward.expectedClicks - p) < 1e-12)
        #expect(abs(reward.purchaseProbability - p * 0.12) < 1e-12)
        #expect(abs(reward.expectedRevenue - p * 0.12 * world.items[item].price) < 1e-9)
    }

    struct Tally {
        var count = 0
        var clicks = 0.0
        var squares = 0.0
        var expectedClicks = 0.0
        var purchaseProbability = 0.0
        var purchases = 0

        mutating func add(_ clickCount: Double, _ truth: ExpectedReward, _ bought: Bool) {
            count += 1
            clicks += clickCount
            squares += clickCount * clickCount
            expectedClicks += truth.expectedClicks
            purchaseProbability += truth.purchaseProbability
            purchases += bought ? 1 : 0
        }

        var meanClicks: Double { clicks / Double(count) }
        var meanExpectedClicks: Double { expectedClicks / Double(count) }
        var meanPurchaseProbability: Double { purchaseProbability / Double(count) }
        var standardError: Double { ((squares / Double(count) - meanClicks * meanClicks) / Double(count)).squareRoot() }
    }
}
