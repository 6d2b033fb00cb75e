import Testing

@testable import Server

/// The per-arm cost estimate that decides whether the event loop may rank an arm. Samples are
/// given, not measured, so the expected answers follow from the update rule by hand: each
/// sample counts as min(sample, previous sample); the first sets the estimate, later ones move it
/// a quarter of the way; the arm fits while the estimate is at most 250 µs.
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

    @Test("an arm that became cheap returns to the loop once the estimate decays under the budget")
    func decayBack() {
        let cost = RankCost()
        cost.record(.milliseconds(10))
        // After n samples of 5 µs: 5 + 9,995 × (3/4)^n µs; n = 12 gives 321.6 µs, n = 13 gives 242.5 µs.
        for _ in 0..<12 { cost.record(.microseconds(5)) }
        #expect(!cost.fitsEventLoop)
        cost.record(.microseconds(5))
        #expect(cost.fitsEventLoop)
    }
}
