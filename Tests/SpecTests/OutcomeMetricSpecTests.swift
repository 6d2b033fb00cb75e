import Strategies
import Testing

@testable import Spec

/// Declared metrics (`metrics.definitions`, a metrics library file): what a valid spec
/// decodes to, and bad definitions refused at their file:line:column (columns counted by
/// hand from the YAML text).
@Suite struct OutcomeMetricSpecTests {
    static let head = """
        name: demo
        arms:
          - {key: a, strategy: popularity, control: true}
          - {key: b, strategy: markov}
        metrics:
          primary: ctr
          definitions:

        """

    func findings(_ lines: String) -> [String] {
        SpecValidator(catalog: .standard).validate(text: Self.head + lines, path: "spec.yaml").findings.map(\.description)
    }

    @Test func aValidSpecDecodesEveryKindOfDefinitionAndAGuardrailOnOne() throws {
        let yaml = """
            name: demo
            arms:
              - {key: a, strategy: popularity, control: true}
              - {key: b, strategy: markov}
            metrics:
              primary: ctr
              guardrails:
                - {metric: revenue, max_relative_drop: 0.05}
              definitions:
                revenue:
                  source: {event: order}
                  aggregation: sum
                  window: {from: 0d, to: 7d}
                  cap: {percentile: 0.99}
                orders: {source: {event: order}, aggregation: count, window: experiment, cap: {value: 20}}
                aov: {aggregation: ratio, numerator: revenue, denominator: orders}
                returned: {source: {event: session_start}, retention: {from: 1d, to: 2d}}
                basket: {source: {event: order}, aggregation: mean}
                shop_revenue: {source: {sql: "SELECT user_id AS unit_id, created_at AS timestamp, amount AS value FROM shop_orders;"}, aggregation: sum}
            """
        let report = SpecValidator(catalog: .standard).validate(text: yaml, path: "spec.yaml")
        #expect(report.findings.map(\.description) == [])
        let spec = try #require(report.specs["spec.yaml"])
        #expect(spec.metrics.guardrails == [])
        #expect(
            spec.metrics.definitions == [
                OutcomeMetric(name: "aov", eventType: nil, aggregation: .ratio, numerator: "revenue", denominator: "orders"),
                OutcomeMetric(name: "basket", eventType: "order", aggregation: .mean),
                OutcomeMetric(name: "orders", eventType: "order", aggregation: .count, cap: .value(20)),
                OutcomeMetric(
                    name: "returned",
                    eventType: "session_start",
                    aggregation: .any,
                    windowStart: SpecDuration(seconds: 86_400),
                    windowEnd: SpecDuration(seconds: 172_800),
                    isRetention: true
                ),
                OutcomeMetric(
                    name: "revenue",
                    eventType: "order",
                    aggregation: .sum,
                    cap: .percentile(0.99),
                    windowEnd: SpecDuration(seconds: 604_800),
                    maxRelativeDrop: 0.05
                ),
                OutcomeMetric(
                    name: "shop_revenue",
                    eventType: nil,
                    sql: "SELECT user_id AS unit_id, created_at AS timestamp, amount AS value FROM shop_orders",
                    aggregation: .sum
                ),
            ]
        )
        // The canonical JSON carries them, and a stored spec decodes back to the same value.
        #expect(try ExperimentSpec(canonicalJSON: try spec.canonicalJSON()) == spec)
    }

    @Test func aSpecWithoutDefinitionsKeepsItsCanonicalJSON() throws {
        let report = SpecValidator(catalog: .standard).validate(text: String(Self.head.dropLast("  definitions:\n".count)), path: "spec.yaml")
        let spec = try #require(report.specs["spec.yaml"])
        #expect(!(try spec.canonicalJSON()).contains("definitions"))
    }

    @Test(arguments: [
        (
            "    revenue: {source: {event: Order}, aggregation: sum}",
            "spec.yaml:8:31: 'metrics.definitions.revenue.source.event' must be an outcome event type: a lower-case letter, then up to 62 lower-case letters, digits or underscores (order, session_start)."
        ),
        (
            "    revenue: {source: {event: order}, aggregation: median}",
            "spec.yaml:8:52: 'metrics.definitions.revenue.aggregation' must be one of count, sum, any, mean, ratio, not the string \"median\"; did you mean 'mean'."
        ),
        (
            "    orders: {source: {event: order}, aggregation: count}\n    aov: {aggregation: ratio, numerator: revenue, denominator: orders}",
            "spec.yaml:9:42: 'metrics.definitions.aov.numerator' names 'revenue', which is not a declared metric; declare it in metrics.definitions."
        ),
        (
            "    converted: {source: {event: order}, aggregation: any, cap: {value: 1}}",
            "spec.yaml:8:64: 'metrics.definitions.converted.cap': capping applies to count and sum metrics, not any; remove it."
        ),
        (
            "    orders: {source: {event: order}, aggregation: count, window: {from: 7d, to: 1d}}",
            "spec.yaml:8:81: 'metrics.definitions.orders.window.to' (1d) must be after 'metrics.definitions.orders.window.from' (7d)."
        ),
        (
            "    revenue: {source: {sql: \"DELETE FROM orders\"}, aggregation: sum}",
            "spec.yaml:8:29: 'metrics.definitions.revenue.source.sql' must be one SELECT query returning unit_id, timestamp and value, such as SELECT user_id AS unit_id, created_at AS timestamp, amount AS value FROM shop_orders."
        ),
        ("    ctr: {source: {event: click}, aggregation: count}", "spec.yaml:8:5: Metric name 'ctr' is a built-in metric; choose another name."),
    ])
    func aBadDefinitionIsRefusedAtItsLocation(lines: String, expected: String) {
        #expect(findings(lines) == [expected])
    }

    @Test func aBanditRewardOnADeclaredMetricIsRefusedUntilBuilt() {
        let yaml =
            Self.head + "    revenue: {source: {event: order}, aggregation: sum}\nallocation: {type: bandit, policy: thompson, reward: revenue}\n"
        // Line 9: `allocation: {type: bandit, policy: thompson, reward: revenue}`; "revenue" at column 54.
        #expect(
            SpecValidator(catalog: .standard).validate(text: yaml, path: "spec.yaml").findings.map(\.description) == [
                "spec.yaml:9:54: 'allocation.reward' names the declared metric 'revenue'; a bandit's reward must be a built-in metric for now (docs/metrics.md)."
            ]
        )
    }

    @Test func aLibraryFileRelativeToTheSpecAddsDefinitionsAndTheSpecsOwnWin() throws {
        let spec = """
            name: demo
            arms:
              - {key: a, strategy: popularity, control: true}
              - {key: b, strategy: markov}
            metrics:
              primary: ctr
              library: ../lib/metrics.yaml
              definitions:
                orders: {source: {event: purchase_made}, aggregation: count}

            """
        let library = """
            definitions:
              orders: {source: {event: order}, aggregation: count}
              revenue: {source: {event: order}, aggregation: sum}

            """
        let files = ["exp/a.yaml": spec, "lib/metrics.yaml": library]
        let report = SpecLoader(catalog: .standard).validate(paths: ["exp/a.yaml"]) { files[$0] }
        #expect(report.findings.map(\.description) == [])
        let decoded = try #require(report.specs["exp/a.yaml"])
        #expect(decoded.metrics.definitions.map(\.name) == ["orders", "revenue"])
        #expect(decoded.metrics.definitions.map(\.eventType) == ["purchase_made", "order"])
    }

    @Test func aBadDefinitionInTheLibraryIsReportedInTheLibrary() {
        let spec = """
            name: demo
            arms:
              - {key: a, strategy: popularity, control: true}
              - {key: b, strategy: markov}
            metrics: {primary: ctr, library: metrics.yaml}

            """
        let library = """
            definitions:
              orders: {source: {event: order}, aggregation: count}
              revenue: {source: {event: order}, aggregation: summ}

            """
        let files = ["exp/a.yaml": spec, "exp/metrics.yaml": library]
        let report = SpecLoader(catalog: .standard).validate(paths: ["exp/a.yaml"]) { files[$0] }
        #expect(
            report.findings.map(\.description) == [
                "exp/metrics.yaml:3:50: 'metrics.definitions.revenue.aggregation' must be one of count, sum, any, mean, ratio, not the string \"summ\"; did you mean 'sum'."
            ]
        )
        // A library that cannot be read is reported at the spec's `library` value (line 5, column 34).
        let missing = SpecLoader(catalog: .standard).validate(files: ["exp/a.yaml": spec])
        #expect(
            missing.findings.map(\.description) == [
                "exp/a.yaml:5:34: 'metrics.library' names 'metrics.yaml', which cannot be read (looked for exp/metrics.yaml); fix the path, relative to this file."
            ]
        )
    }
}
