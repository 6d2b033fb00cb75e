import Testing

@testable import Stats

/// Hand-worked values of the two IPW estimators on four decisions.
struct InverseProbabilityWeightedMeanTests {
    // Arm "a" served twice: reward 1 at propensity 0.5 (w = 2), reward 0 at propensity 0.25 (w = 4).
    static let log: [(arm: String, reward: Double, propensity: Double)] = [
        ("a", 1, 0.5), ("b", 1, 0.5), ("a", 0, 0.25), ("b", 0, 0.75),
    ]

    @Test("Horvitz–Thompson: terms (2, 0, 0, 0), value 0.5, SE √(1/4) = 0.5")
    func horvitzThompson() throws {
        let e = try #require(InverseProbabilityWeightedMean.estimate(arm: "a", decisions: Self.log, kind: .horvitzThompson))
        #expect(e.value == 0.5)
        // Sample variance of (2, 0, 0, 0): mean 0.5, Σ(t − 0.5)² = 2.25 + 3·0.25 = 3, /3 = 1; SE = √(1/4).
        #expect(abs(e.standardError - 0.5) < 1e-12)
        #expect(e.served == 2 && e.decisions == 4)
    }

    @Test("self-normalised: value 2/6 = 1/3; terms w(r − 1/3) = (4/3, 0, −4/3, 0), SE √((32/9)/3/4) / 1.5")
    func selfNormalised() throws {
        let e = try #require(InverseProbabilityWeightedMean.estimate(arm: "a", decisions: Self.log, kind: .selfNormalised))
        #expect(abs(e.value - 1.0 / 3) < 1e-12)
        // Terms mean 0, Σ t² = 32/9, sample variance 32/27, /n = 8/27, √ = 0.5443, / w̄ (6/4 = 1.5).
        #expect(abs(e.standardError - (8.0 / 27).squareRoot() / 1.5) < 1e-12)
    }

    @Test("no decision of the arm, or a propensity outside (0, 1], gives no estimate")
    func degenerate() {
        #expect(InverseProbabilityWeightedMean.estimate(arm: "c", decisions: Self.log, kind: .horvitzThompson) == nil)
        #expect(InverseProbabilityWeightedMean.estimate(arm: "a", decisions: [("a", 1, 0), ("a", 1, 1)], kind: .selfNormalised) == nil)
    }
}
