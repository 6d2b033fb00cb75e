import Stats
import Testing

@testable import Bandits

/// The guard rails of a per-request choice: P(a | x) = c·[a is the control] + (1 − c)·q(a | x),
/// q = 1/m in burn-in, else f + (1 − m·f)·π(a | x). Expected values are worked by hand below;
/// frequencies are checked against them within 4 binomial standard errors.
struct ContextualGuardRailsTests {
    /// LinUCB with α = 0 where only arm b has learned a positive reward for x = (1, 0): π = (0, 1, 0).
    static func policy() throws -> LinUCBPolicy {
        var policy = try LinUCBPolicy(arms: ["a", "b", "c"], dimension: 2, exploration: 0)
        for _ in 0..<5 { try policy.update(context: [1, 0], arm: "b", reward: 1) }
        return policy
    }

    static func frequencies<P: ContextualPolicy>(
        _ rails: ContextualGuardRails,
        _ policy: P,
        context: [Double],
        n: Int
    ) throws -> (counts: [Int], propensityMismatch: Double) {
        var generator = SplitMix64(seed: 7)
        let expected = try rails.probabilities(policy, context: context)
        var counts = [Int](repeating: 0, count: policy.arms.count)
        var mismatch = 0.0
        for _ in 0..<n {
            let choice = try rails.choose(policy, context: context, using: &generator)
            let index = try #require(policy.arms.firstIndex(of: choice.arm))
            counts[index] += 1
            mismatch = max(mismatch, abs(choice.propensity - expected[index]))
        }
        return (counts, mismatch)
    }

    static func within(_ count: Int, _ n: Int, _ p: Double) -> Bool {
        abs(Double(count) / Double(n) - p) <= 4 * (p * (1 - p) / Double(n)).squareRoot() + 1e-12
    }

    @Test("control share 0.2, floor 0.1, π = (0, 1, 0): P = (0.2 + 0.8·0.1, 0.8·(0.1 + 0.7), 0.8·0.1) = (0.28, 0.64, 0.08)")
    func controlAndFloor() throws {
        let policy = try Self.policy()
        let rails = try ContextualGuardRails(armCount: 3, floor: 0.1, controlShare: 0.2, controlIndex: 0, inBurnIn: false)
        let expected = [0.28, 0.64, 0.08]
        let probabilities = try rails.probabilities(policy, context: [1, 0])
        for (p, e) in zip(probabilities, expected) { #expect(abs(p - e) < 1e-12, "\(probabilities)") }
        let n = 50_000
        let (counts, mismatch) = try Self.frequencies(rails, policy, context: [1, 0], n: n)
        #expect(mismatch < 1e-12)
        for (count, p) in zip(counts, expected) { #expect(Self.within(count, n, p), "\(counts)") }
    }

    @Test("burn-in ignores the policy: P = (0.2 + 0.8/3, 0.8/3, 0.8/3)")
    func burnIn() throws {
        let policy = try Self.policy()
        let rails = try ContextualGuardRails(armCount: 3, floor: 0.1, controlShare: 0.2, controlIndex: 0, inBurnIn: true)
        let expected = [0.2 + 0.8 / 3, 0.8 / 3, 0.8 / 3]
        let n = 50_000
        let (counts, mismatch) = try Self.frequencies(rails, policy, context: [1, 0], n: n)
        #expect(mismatch < 1e-12)
        for (count, p) in zip(counts, expected) { #expect(Self.within(count, n, p), "\(counts)") }
    }

    @Test("linear Thompson with a floor: each choice's propensity is its arm's probability, and frequencies match")
    func thompsonWithFloor() throws {
        var policy = try LinearThompsonPolicy(arms: ["a", "b"], dimension: 2)
        for _ in 0..<3 { try policy.update(context: [1, 0.5], arm: "a", reward: 1) }
        let rails = try ContextualGuardRails(armCount: 2, floor: 0.05, controlShare: 0, controlIndex: nil, inBurnIn: false)
        let context = [1.0, 0.5]
        let expected = try rails.probabilities(policy, context: context)
        // Φ-based two-arm value by hand is in LinearThompsonPropensityAccuracyTests; here the
        // floor: each probability is 0.05 + 0.9·π.
        let pi = try (0..<2).map { try policy.probability(of: $0, context: context) }
        for (p, q) in zip(expected, pi) { #expect(abs(p - (0.05 + 0.9 * q)) < 1e-12) }
        // The per-arm integrals sum to 1 within the integration's accuracy (docs/bandits.md).
        #expect(abs(pi.reduce(0, +) - 1) < 1e-4)
        let n = 10_000
        let (counts, mismatch) = try Self.frequencies(rails, policy, context: context, n: n)
        #expect(mismatch < 1e-12)
        for (count, p) in zip(counts, expected) { #expect(Self.within(count, n, p), "\(counts) vs \(expected)") }
    }

    @Test("a floor above 1/m and a control share without a control are refused")
    func refusals() {
        #expect(throws: BanditsError.self) { try ContextualGuardRails(armCount: 3, floor: 0.4, controlShare: 0, controlIndex: nil, inBurnIn: false) }
        #expect(throws: BanditsError.self) { try ContextualGuardRails(armCount: 3, floor: 0, controlShare: 0.1, controlIndex: nil, inBurnIn: false) }
    }

    @Test("a checkpoint round trip restores the same scores")
    func restore() throws {
        let policy = try Self.policy()
        var restored = try LinUCBPolicy(arms: ["a", "b", "c"], dimension: 2, exploration: 0)
        try restored.restore(policy.armStates)
        for (r, o) in zip(try restored.scores(context: [1, 0.3]), try policy.scores(context: [1, 0.3])) { #expect(abs(r - o) < 1e-12) }
        #expect(restored.armStates.map(\.updates) == [0, 5, 0])
        var broken = policy.armStates
        broken[1].designMatrix = [1, 2, 2, 1]  // not positive definite
        #expect(throws: BanditsError.self) { try restored.restore(broken) }
    }
}
