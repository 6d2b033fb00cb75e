import Foundation
import Testing

@testable import Sim

/// Feedback arrives later than the impression, in the causal order, with a rare tail past 24 h.
@Suite struct FeedbackDelayTests {
    /// Everything clicked is carted and bought here, so each click brings a purchase. Delays are
    /// log-normal: click median 15 s; purchase = click + cart (median 60 s) + LogNormal(median
    /// 1200 s, σ 1.5). P(purchase delay > 24 h) ≈ P(Z > ln(86 400 / 1200) / 1.5) = 0.00218
    /// (scipy 1.17 `norm.sf(log(72) / 1.5)`; the ~75 s of click and cart shift it by < 0.1 %).
    @Test func delaysAreOrderedAndHaveARareLongTail() {
        var configuration = TestWorlds.configuration()
        configuration.clickIntercept = 2
        configuration.addToCartProbability = 1
        configuration.purchaseProbability = 1
        var world = World(configuration)
        var clickDelays: [Double] = []
        var purchases = 0
        var late = 0
        for round in 0..<4000 {
            let list = (0..<5).map { "i\((round * 5 + $0) % world.items.count + 1)" }
            let events = world.respond(unit: "u\(round % 400 + 1)", items: list, at: TestWorlds.start)
            #expect(events.map(\.delay) == events.map(\.delay).sorted())
            for position in Set(events.map(\.position)) {
                let kinds = events.filter { $0.position == position }.map(\.eventType)
                #expect(kinds == [.click, .addToCart, .purchase])
            }
            for event in events {
                #expect(event.occurredAt == TestWorlds.start + event.delay)
                switch event.eventType {
                case .click: clickDelays.append(event.delay)
                case .purchase:
                    purchases += 1
                    if event.delay > 86_400 { late += 1 }
                default: break
                }
            }
        }
        let median = clickDelays.sorted()[clickDelays.count / 2]
        // The sample median of ~10 000 log-normal draws with σ = 1 is within ±3 % of 15 s at 3 SE.
        #expect(abs(median / 15 - 1) < 0.05, "median click delay \(median)")
        let lateShare = Double(late) / Double(purchases)
        // With ~10 000 purchases, 0.00218 has a standard error of 0.00047; the band is over ±2.3 SE wide.
        #expect(purchases > 8000)
        #expect(lateShare > 0.0011 && lateShare < 0.0035, "share past 24 h: \(lateShare) of \(purchases)")
    }
}
