import Strategies
import Testing

@testable import Spec

/// `type: interleaving`: accepted with two arms (Team-Draft) or more (multileaving); weights, a
/// bandit and arms without a ranking strategy are reported where they are written. Lines and
/// columns are counted by hand from the YAML below (both start at 1).
@Suite struct InterleavingSpecTests {
    /// An interleaving spec with `arms` (one arm per line from line 4) and `extra` after them.
    static func spec(arms: [String], extra: String = "") -> String {
        (["name: duel", "type: interleaving", "arms:"] + arms.map { "  - {\($0)}" } + ["metrics: {primary: ctr}", extra]).joined(separator: "\n")
    }

    static func validate(_ yaml: String) -> (spec: ExperimentSpec?, findings: [String]) {
        let report = SpecValidator(catalog: .standard).validate(text: yaml, path: "spec.yaml")
        return (report.specs["spec.yaml"], report.findings.map { String($0.description.dropFirst("spec.yaml:".count)) })
    }

    @Test func twoArmsAreAcceptedAsTeamDraftInterleaving() throws {
        let (spec, findings) = Self.validate(Self.spec(arms: ["key: als, strategy: als", "key: pop, strategy: popularity"]))
        #expect(findings == [])
        let decoded = try #require(spec)
        #expect(decoded.type == .interleaving)
        #expect(decoded.arms.map(\.key) == ["als", "pop"])
        #expect(decoded.allocation == .fixed)
    }

    @Test func threeArmsAreAcceptedAsMultileavingWithAnExplicitFixedAllocation() throws {
        let arms = ["key: als, strategy: als", "key: pop, strategy: popularity", "key: knn, strategy: item_knn"]
        let (spec, findings) = Self.validate(Self.spec(arms: arms, extra: "allocation: {type: fixed}"))
        #expect(findings == [])
        #expect(spec?.arms.count == 3)
    }

    @Test func weightsAreRejectedOnEveryArmThatHasOne() {
        // Line 4 is "  - {key: a, strategy: popularity, weight: 0.5}": the value 0.5 starts at column 44.
        let (spec, findings) = Self.validate(Self.spec(arms: ["key: a, strategy: popularity, weight: 0.5", "key: b, strategy: markov, weight: 0.5"]))
        #expect(spec == nil)
        #expect(
            findings == [
                "4:44: 'arms[0].weight' does not apply to an interleaving experiment, where every unit sees all arms merged into one list; remove it.",
                "5:40: 'arms[1].weight' does not apply to an interleaving experiment, where every unit sees all arms merged into one list; remove it.",
            ]
        )
    }

    static let banditMessage =
        "An interleaving experiment cannot use bandit allocation: every unit sees every arm, so there is no traffic to move; remove 'allocation' or set 'allocation.type' to fixed."

    @Test(arguments: [
        // Line 7; "bandit" starts at column 20 of "allocation: {type: bandit, policy: thompson, reward: ctr}".
        ("allocation: {type: bandit, policy: thompson, reward: ctr}", "7:20: \(banditMessage)"),
        // Without a type, a policy makes it a bandit: "thompson" starts at column 22.
        ("allocation: {policy: thompson, reward: ctr}", "7:22: \(banditMessage)"),
    ])
    func banditAllocationIsRejected(allocation: String, expected: String) {
        let (spec, findings) = Self.validate(Self.spec(arms: ["key: a, strategy: popularity", "key: b, strategy: markov"], extra: allocation))
        #expect(spec == nil)
        #expect(findings == [expected])
    }

    @Test func oneArmIsNotEnough() {
        let (spec, findings) = Self.validate(Self.spec(arms: ["key: a, strategy: popularity"]))
        #expect(spec == nil)
        // The list starts at line 4 column 3 ("- {").
        #expect(findings == ["4:3: 'arms' has 1 arm; an experiment needs at least two, add another."])
    }

    @Test func everyArmMustRankWithACatalogueStrategy() {
        // "bogus" starts at column 24 of line 5, "  - {key: b, strategy: bogus}".
        let (spec, findings) = Self.validate(Self.spec(arms: ["key: a, strategy: popularity", "key: b, strategy: bogus"]))
        #expect(spec == nil)
        #expect(findings.count == 1)
        #expect(findings.first?.hasPrefix("5:24: Unknown strategy 'bogus' in 'arms[1].strategy'") == true)
    }

    @Test func twoArmsRankingIdenticallyAreWarnedAbout() {
        // Arm b repeats arm a's strategy with no parameters; "popularity" starts at column 24 of line 5.
        let (spec, findings) = Self.validate(Self.spec(arms: ["key: a, strategy: popularity", "key: b, strategy: popularity"]))
        #expect(spec != nil)
        #expect(
            findings == [
                "5:24: warning: Arm 'b' ranks exactly like arm 'a' (line 4): same strategy and parameters, so interleaving them can show no preference; change its strategy or parameters."
            ]
        )
    }

    @Test func theDocumentedExampleIsValid() throws {
        // docs/spec.md#interleaving and docs/interleaving.md.
        let yaml = """
            name: homepage-duel
            type: interleaving
            status: running
            arms:
              - {key: als, strategy: als, params: {factors: 64}}
              - {key: popularity, strategy: popularity}
            metrics: {primary: ctr, k: 10, attribution_window: 1h}
            """
        let (spec, findings) = Self.validate(yaml)
        #expect(findings == [])
        #expect(spec?.metrics.attributionWindow.seconds == 3600)
    }

    @Test func anABExperimentKeepsItsWeights() {
        let yaml = Self.spec(arms: ["key: a, strategy: popularity, weight: 0.5", "key: b, strategy: markov, weight: 0.5"])
            .replacingOccurrences(of: "type: interleaving", with: "type: ab")
        #expect(Self.validate(yaml).findings == [])
    }
}
