import Foundation
import Strategies
import Testing

@testable import Spec

/// Canonical JSON round trips, is independent of YAML layout, and feeds the diff.
@Suite struct CanonicalJSONTests {
    static func spec(_ yaml: String) throws -> ExperimentSpec {
        let report = SpecValidator(catalog: .standard).validate(text: yaml, path: "s.yaml")
        return try #require(report.specs["s.yaml"], "\(report.findings)")
    }

    static let yaml = """
        name: demo
        status: running
        schedule: {start: 2026-03-02T00:00:00Z}
        targeting: {all: [{attribute: country, in: [DE, AT]}, {not: {attribute: age, lt: 18}}]}
        arms:
          - {key: a, strategy: popularity, control: true, weight: 0.25}
          - {key: b, strategy: hybrid, weight: 0.75, params: {components: [{strategy: als, params: {factors: 8}}]}}
        allocation: {policy: epsilon_greedy, reward: ctr, epsilon: 0.2}
        metrics: {primary: ctr}

        """

    @Test func roundTrips() throws {
        let spec = try Self.spec(Self.yaml)
        let json = try spec.canonicalJSON()
        #expect(try ExperimentSpec(canonicalJSON: json) == spec)
        #expect(json.hasPrefix("{\"allocation\":{\"bandit\":{\"burn_in\":100,"))
        #expect(json.contains("\"start\":\"2026-03-02T00:00:00Z\""))
    }

    @Test func layoutDoesNotMatter() throws {
        let reordered = """
            metrics:
              primary: ctr
            allocation:
              epsilon: 0.2
              reward: ctr
              policy: epsilon_greedy
            arms:
              - {weight: 0.25, control: true, strategy: popularity, key: a}
              - key: b
                strategy: hybrid
                params:
                  components:
                    - strategy: als
                      params: {factors: 8}
                weight: 0.75
            targeting:
              all:
                - {attribute: country, in: [DE, AT]}
                - not: {attribute: age, lt: 18}
            schedule: {start: "2026-03-02T00:00:00Z"}
            status: running
            name: demo

            """
        #expect(try Self.spec(reordered).canonicalJSON() == Self.spec(Self.yaml).canonicalJSON())
    }

    @Test func diffListsChangedFields() throws {
        let old = try Self.spec(Self.yaml)
        var new = old
        new.arms[0].weight = 0.5
        new.arms[1].weight = 0.5
        new.traffic = 0.5
        new.metrics.secondary = [MetricName(.conversion)]
        let diff = try SpecDiff(from: old, to: new)
        // Arms are matched by key; an empty list that gains an item shows as removed/added.
        #expect(
            diff.lines == [
                "~ arms[a].weight: 0.25 → 0.5",
                "~ arms[b].weight: 0.75 → 0.5",
                "- metrics.secondary: []",
                "+ metrics.secondary[0]: conversion",
                "~ traffic: 1 → 0.5",
            ]
        )
        #expect(try SpecDiff(from: old, to: old).isEmpty)
    }
}
