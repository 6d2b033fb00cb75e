import Stats
import Testing

@testable import Metrics

/// A generator whose every output is one constant: `next(upperBound:)` then always returns 0
/// (constant 1: the product 1 · bound has high word 0 and is never rejected) or upperBound − 1
/// (constant UInt64.max), so Team-Draft coin flips are known in advance.
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

struct InterleavingTests {
    let first = ["a", "b", "c", "d"]
    let second = ["b", "e", "a", "f"]

    @Test func teamDraftWithFirstArmWinningEveryCoinFlip() {
        // Round 1: tie 0–0, A picks a; B picks its best unshown, b. Round 2: A's b is shown, so c;
        // B picks e. Round 3: A picks d; B's a is shown, so f.
        var coin = ConstantGenerator(value: 1)
        let list = TeamDraft.interleave(first, second, length: 6, using: &coin)
        #expect(list.items == ["a", "b", "c", "e", "d", "f"])
        #expect(list.contributingArms == [0, 1, 0, 1, 0, 1])
    }

    @Test func teamDraftWithSecondArmWinningEveryCoinFlip() {
        // Round 1: B picks b, A picks a. Round 2: B picks e, A picks c. Round 3: B picks f, A picks d.
        var coin = ConstantGenerator(value: .max)
        let list = TeamDraft.interleave(first, second, length: 6, using: &coin)
        #expect(list.items == ["b", "a", "e", "c", "f", "d"])
        #expect(list.contributingArms == [1, 0, 1, 0, 1, 0])
    }

    @Test func lengthTruncatesAndExhaustedArmsStopPicking() {
        var coin = ConstantGenerator(value: 1)
        #expect(TeamDraft.interleave(first, second, length: 3, using: &coin).items == ["a", "b", "c"])
        // A = [a]: A picks a, B picks b; A is exhausted, so B picks c; the list ends at 3 < 5.
        let short = TeamDraft.interleave(["a"], ["a", "b", "c"], length: 5, using: &coin)
        #expect(short.items == ["a", "b", "c"])
        #expect(short.contributingArms == [0, 1, 1])
    }

    @Test func multileavingGivesEachArmOneTurnPerRound() {
        // Constant 1: arms pick in order 0, 1, 2 every round. Round 1: arm 0 = [x, v] picks x,
        // arm 1 = [y, x] picks y, arm 2 = [x, y, w] skips shown x and y and picks w. Round 2: arm 0 picks v.
        var coin = ConstantGenerator(value: 1)
        let list = TeamDraft.multileave([["x", "v"], ["y", "x"], ["x", "y", "w"]], length: 4, using: &coin)
        #expect(list.items == ["x", "y", "w", "v"])
        #expect(list.contributingArms == [0, 1, 2, 0])
    }

    @Test func clicksAreCreditedToTheContributingArm() {
        let list = InterleavedList(items: ["a", "b", "c", "e"], contributingArms: [0, 1, 0, 1], armCount: 2)
        // Positions 0 (arm 0), 2 (arm 0), 3 (arm 1); 2 repeated and 9 out of range are ignored.
        #expect(list.credit(clickedPositions: [0, 2, 2, 3, 9]) == [2, 1])
        var tally = InterleavingTally(armCount: 2)
        tally.record(credits: [2, 1])
        tally.record(credits: [0, 0])
        tally.record(credits: [0, 3])
        tally.record(credits: [1, 0])
        let preference = tally.preference(of: 0, over: 1)
        #expect(preference.wins == 2 && preference.losses == 1 && preference.ties == 1)
        #expect(abs(preference.share - 2.0 / 3) < 1e-15)
    }

    @Test func wilsonIntervalAndSignTestMatchScipy() {
        // scipy 1.17: binomtest(8, 10).pvalue = 0.109375 (= 2 · (1 + 10 + 45) / 1024) and
        // proportion_ci(0.95, 'wilson') = (0.4901624715366418, 0.9433178485456248).
        let preference = PairwisePreference(wins: 8, losses: 2, ties: 5)
        #expect(abs(preference.signTestPValue - 0.109375) < 1e-12)
        #expect(abs(preference.interval.lowerBound - 0.4901624715366418) < 1e-9)
        #expect(abs(preference.interval.upperBound - 0.9433178485456248) < 1e-9)
        // binomtest(30, 70): p = 0.281978921793656; 90% Wilson (0.3357292362151792, 0.5267296695997017).
        let other = PairwisePreference(wins: 30, losses: 40, ties: 0, confidence: 0.9)
        #expect(abs(other.signTestPValue - 0.281978921793656) < 1e-12)
        #expect(abs(other.interval.lowerBound - 0.3357292362151792) < 1e-9)
        #expect(abs(other.interval.upperBound - 0.5267296695997017) < 1e-9)
        let none = PairwisePreference(wins: 0, losses: 0, ties: 3)
        #expect(none.share == 0.5 && none.signTestPValue == 1 && none.interval == 0...1)
    }

    @Test(arguments: [(0.975, 1.959963984540054), (0.001, -3.090232306167813), (0.3, -0.5244005127080409), (1e-10, -6.361340902404056)])
    func normalQuantileMatchesScipy(p: Double, expected: Double) {
        // scipy 1.17 scipy.stats.norm.ppf(p)
        #expect(abs(standardNormalQuantile(p) - expected) < 1e-12)
    }

    /// Fairness: when clicks do not depend on which arm contributed an item (random, position-biased
    /// clicks), each arm wins about half of the decided impressions. 10,000 impressions give about
    /// 4,000 decided ones, a standard error of 0.008 on the share; the tolerance 0.03 is over 3.5 of them.
    @Test(arguments: [2, 3])
    func randomClicksFavourNoArm(armCount: Int) {
        var generator = SplitMix64(seed: 2026)
        let catalogue = (0..<30).map { "item\($0)" }
        var tally = InterleavingTally(armCount: armCount)
        for _ in 0..<10_000 {
            let rankings = (0..<armCount).map { _ in Array(catalogue.shuffled(using: &generator).prefix(10)) }
            let list = TeamDraft.multileave(rankings, length: 10, using: &generator)
            let clicked = list.items.indices.filter { position in
                RandomVariates.bernoulli(0.3 / Double(position + 1), using: &generator)
            }
            tally.record(list, clickedPositions: clicked)
        }
        for i in 0..<armCount {
            for j in 0..<armCount where i < j {
                let preference = tally.preference(of: i, over: j)
                #expect(preference.wins + preference.losses > 1_500)
                #expect(abs(preference.share - 0.5) < 0.03, "arm \(i) over \(j): \(preference.share)")
            }
        }
    }
}
