import Strategies
import Testing

@testable import Spec

/// Defaults, `extends`, anchors and merge keys, and checks across files.
@Suite struct LoaderTests {
    static let arms = """
        arms:
          - {key: a, strategy: popularity, control: true}
          - {key: b, strategy: markov}

        """

    func validate(_ files: [String: String]) -> ValidationReport {
        SpecLoader(catalog: .standard).validate(files: files)
    }

    @Test func defaultsApplyBeneathTheSpecAndTheSpecWins() throws {
        let report = validate([
            "exp/defaults.yaml": "owner: team\ntraffic: 0.5\nmetrics: {primary: ctr, k: 5, gain: exponential}\n",
            "exp/a.yaml": "name: a\ntraffic: 0.25\n" + Self.arms + "metrics: {primary: ndcg}\n",
        ])
        #expect(report.findings == [])
        let spec = try #require(report.specs["exp/a.yaml"])
        #expect(spec.owner == "team")
        #expect(spec.traffic == 0.25)
        // Deep merge: primary from the spec, k and gain from the defaults; ndcg takes K = 5.
        #expect(spec.metrics.primary == MetricName(.ndcg, k: 5))
        #expect(spec.metrics.gain == .exponential)
    }

    @Test func extendsMergesABaseRelativeToTheFile() throws {
        let report = validate([
            "exp/sub/child.yaml": "extends: ../base/common.yaml\nname: child\nmetrics: {secondary: [conversion]}\n",
            "exp/base/common.yaml": Self.arms + "metrics: {primary: ctr}\nstatus: running\n",
        ])
        #expect(report.findings.filter { $0.file == "exp/sub/child.yaml" } == [])
        let spec = try #require(report.specs["exp/sub/child.yaml"])
        #expect(spec.status == .running)
        #expect(spec.metrics.primary == MetricName(.ctr))
        #expect(spec.metrics.secondary == [MetricName(.conversion)])
    }

    @Test func findingsInABasePointIntoTheBase() {
        let report = validate(["child.yaml": "extends: base.yaml\nname: child\n", "base.yaml": Self.arms + "metrics: {primary: ctr}\ntraffic: 7\n"])
        // base.yaml: lines 1-3 are the arms, line 4 the metrics, line 5 `traffic: 7` (the 7 at column 10).
        let base = report.findings.filter { $0.file == "base.yaml" }.map(\.description)
        #expect(base.contains("base.yaml:5:10: 'traffic' must be a number from 0 to 1, not the integer 7."))
        #expect(report.specs["child.yaml"] == nil)
    }

    @Test func extendsCycleAndMissingBase() {
        let cycle = validate(["a.yaml": "extends: b.yaml\nname: a\n", "b.yaml": "extends: a.yaml\n"])
        #expect(cycle.findings.map(\.description).contains("b.yaml:1:10: 'extends' makes a cycle (a.yaml → b.yaml → a.yaml); remove one link."))
        let missing = validate(["a.yaml": "name: a\nextends: nowhere.yaml\n"])
        #expect(
            missing.findings.map(\.description) == [
                "a.yaml:2:10: 'extends' names 'nowhere.yaml', which cannot be read (looked for nowhere.yaml); fix the path, relative to this file."
            ]
        )
    }

    @Test func anchorsAndMergeKeysWork() throws {
        let yaml = """
            name: anchored
            arms:
              - &base {key: a, strategy: als, params: {factors: 16}, control: true, weight: 0.5}
              - <<: *base
                key: b
                control: false
            metrics: {primary: ctr}

            """
        let report = validate(["s.yaml": yaml])
        #expect(report.findings == [])
        let spec = try #require(report.specs["s.yaml"])
        #expect(spec.arms.map(\.key) == ["a", "b"])
        #expect(spec.arms[1].params == ["factors": .integer(16)])
        #expect(spec.arms[1].weight == 0.5)
        #expect(spec.arms.map(\.isControl) == [true, false])
    }

    @Test func layerOverFullAcrossFiles() {
        let report = validate([
            "a.yaml": "name: a\nlayer: {name: home, share: 0.6}\n" + Self.arms + "metrics: {primary: ctr}\n",
            "b.yaml": "name: b\nlayer: {name: home, share: 0.5}\n" + Self.arms + "metrics: {primary: ctr}\n",
        ])
        let message = "Layer 'home' is over-full: its experiments take 110% (a 60%, b 50%); lower the shares so they total at most 100%."
        #expect(report.findings.map(\.description) == ["a.yaml:2:8: \(message)", "b.yaml:2:8: \(message)"])
        #expect(report.specs.isEmpty)
    }

    @Test func overlappingOffsetsAcrossFiles() {
        let report = validate([
            "a.yaml": "name: a\nlayer: {name: home, share: 0.5, offset: 0}\n" + Self.arms + "metrics: {primary: ctr}\n",
            "b.yaml": "name: b\nlayer: {name: home, share: 0.3, offset: 0.4}\n" + Self.arms + "metrics: {primary: ctr}\n",
        ])
        #expect(
            report.findings.map(\.description) == [
                "b.yaml:2:8: Experiment 'b' overlaps 'a' in layer 'home' (segments start at 0.0 and 0.4); move its 'layer.offset' to 0.5 or later."
            ]
        )
    }

    @Test func duplicateExperimentNames() {
        let spec = "name: same\n" + Self.arms + "metrics: {primary: ctr}\n"
        let report = validate(["a.yaml": spec, "b.yaml": spec])
        #expect(report.findings.map(\.description) == ["b.yaml:1:7: Experiment name 'same' is also used by a.yaml; names must be unique."])
        #expect(report.specs.keys.sorted() == ["a.yaml"])
    }

    @Test func layerPlanPacksByNameAfterExplicitOffsets() {
        let segments = LayerPlan.segments([
            (experiment: "zeta", layer: LayerSpec(name: "l", share: 0.2)),
            (experiment: "alpha", layer: LayerSpec(name: "l", share: 0.1)),
            (experiment: "fixed", layer: LayerSpec(name: "l", share: 0.3, offset: 0.25)),
        ])
        // Explicit [0.25, 0.55); then alpha [0.55, 0.65) and zeta [0.65, 0.85) in name order.
        #expect(segments.map(\.experiment) == ["fixed", "alpha", "zeta"])
        #expect(segments.map(\.start) == [0.25, 0.55, 0.55 + 0.1])
    }
}

extension LoaderTests {
    @Test func differingHoldoutsAreAWarning() {
        let arms = "arms:\n  - {key: a, strategy: markov}\n  - {key: b, strategy: markov}\nmetrics: {primary: ctr}\n"
        let report = validate([
            "a.yaml": "name: a\nholdout: {share: 0.05}\n" + arms,
            "b.yaml": "name: b\nholdout: {share: 0.1, salt: other}\n" + arms,
        ])
        let message =
            "warning: Specs validated together declare different global holdouts (5% salted global-holdout; 10% salted other); a global holdout needs one share and salt, so declare it once in defaults.yaml."
        #expect(report.findings.map(\.description) == ["a.yaml:2:10: \(message)", "b.yaml:2:10: \(message)"])
        // Warnings do not make a spec invalid.
        #expect(report.specs.count == 2 && !report.hasErrors)
    }
}
