import Foundation
import Testing

@testable import Sim

/// Users click what lies close to their taste.
@Suite struct TasteTests {
    /// For each user, items are split at the median of taste·features (the latent truth). The
    /// click logit is intercept + taste·features + popularity, and popularity is independent of
    /// the split, so the top half's mean logit is higher by the mean gap in taste·features, which
    /// the test checks is above 0.5. Most click probabilities are small (intercept −3.5), where
    /// P ≈ odds = e^logit, so the CTR ratio of the halves should be near e^gap ≥ e^0.5 ≈ 1.65;
    /// we require 1.5.
    @Test func itemsNearTheTasteAreClickedMore() {
        var world = TestWorlds.world()
        var sampler = SplitMix64Sampler(seed: 8)
        var shown = [0, 0]
        var clicked = [0, 0]
        var gaps: [Double] = []
        for user in world.users.prefix(200) {
            let scores = world.items.map { item in zip(user.taste, item.features).reduce(0) { $0 + $1.0 * $1.1 } }
            let median = scores.sorted()[scores.count / 2]
            let top = scores.enumerated().filter { $0.element >= median }.map(\.offset)
            let bottom = scores.enumerated().filter { $0.element < median }.map(\.offset)
            gaps.append(top.map { scores[$0] }.reduce(0, +) / Double(top.count) - bottom.map { scores[$0] }.reduce(0, +) / Double(bottom.count))
            for _ in 0..<100 {
                for (half, pool) in [top, bottom].enumerated() {
                    let item = pool[sampler.int(below: pool.count)]
                    let events = world.respond(unit: user.id, items: [world.items[item].id], at: TestWorlds.start)
                    shown[half] += 1
                    clicked[half] += events.contains { $0.eventType == .click } ? 1 : 0
                }
            }
        }
        #expect(gaps.reduce(0, +) / Double(gaps.count) > 0.5, "mean gap \(gaps.reduce(0, +) / Double(gaps.count))")
        let topRate = Double(clicked[0]) / Double(shown[0])
        let bottomRate = Double(clicked[1]) / Double(shown[1])
        #expect(topRate > 1.5 * bottomRate, "top half \(topRate), bottom half \(bottomRate), gap \(gaps.reduce(0, +) / Double(gaps.count))")
    }
}
