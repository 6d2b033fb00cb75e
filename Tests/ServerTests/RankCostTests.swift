import Testing

@testable import Server

/// The per-arm cost estimate that decides whether the event loop may rank an arm. Samples are
/// given, not measured, so the expected answers follow from the update rule by hand: each
/// sample counts as min(sample, previous sample); the first sets the estimate, later ones move it
/// a quarter of the way; the arm leaves the loop when the estimate goes over 250 µs and comes
/// back when it is at most 200 µs.
@Suite("Rank cost estimate")
struct RankCostTests {
    @Test("an arm never measured may try the event loop; one measured slower than the budget may not")
    func firstSampleDecides() {
        let unmeasured = RankCost()
        #expect(unmeasured.fitsEventLoop)
        let slow = RankCost()
        slow.record(.milliseconds(10))
        #expect(!slow.fitsEventLoop)
        let fast = RankCost()
        fast.record(.microseconds(5))
        #expect(fast.fitsEventLoop)
    }

    @Test("one long sample (a preempted thread) leaves a cheap arm on the loop; two in a row do not")
    func oneStallIsIgnored() {
        let cost = RankCost()
        for _ in 0..<5 { cost.record(.microseconds(5)) }
        // min(10 ms, 5 µs) = 5 µs: the estimate stays 5 µs.
        cost.record(.milliseconds(10))
        #expect(cost.fitsEventLoop)
        // min(10 ms, 10 ms) = 10 ms: 5 µs + (10,000 − 5) / 4 µs = 2,503.75 µs > 250 µs.
        cost.record(.milliseconds(10))
        #expect(!cost.fitsEventLoop)
    }

    @Test("an arm that became cheap returns to the loop once the estimate decays under the return budget")
    func decayBack() {
        let cost = RankCost()
        cost.record(.milliseconds(10))
        // After n samples of 5 µs: 5 + 9,995 × (3/4)^n µs; n = 13 gives 242.5 µs (under the
        // 250 µs budget, over the 200 µs return budget), n = 14 gives 183.1 µs.
        for _ in 0..<13 { cost.record(.microseconds(5)) }
        #expect(!cost.fitsEventLoop)
        cost.record(.microseconds(5))
        #expect(cost.fitsEventLoop)
    }

    @Test("an arm that costs about the budget stays on the path it is on instead of flipping")
    func noFlapping() {
        // On the loop at 240 µs, it stays there while samples jitter between 240 and 250 µs.
        let onLoop = RankCost()
        for sample in [240, 250, 245, 250, 240, 250] {
            onLoop.record(.microseconds(sample))
            #expect(onLoop.fitsEventLoop, "estimate at most 250 µs after a \(sample) µs sample")
        }
        // Off the loop after two 300 µs samples; n samples of 240 µs take the estimate to
        // 300 − 60 × (1 − (3/4)^n) µs, over 240 µs and so over the 200 µs return budget: it
        // stays off. (Without the return budget it would come back at n = 7, 248.0 µs.)
        let offLoop = RankCost()
        offLoop.record(.microseconds(300))
        offLoop.record(.microseconds(300))
        #expect(!offLoop.fitsEventLoop)
        for _ in 0..<30 {
            offLoop.record(.microseconds(240))
            #expect(!offLoop.fitsEventLoop)
        }
    }
}
