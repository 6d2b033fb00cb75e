import Foundation
import PostgresTestSupport
import Testing

/// Degenerate data — an arm with no units, a control with no conversions (zero variance,
/// zero mean) — gives a report with messages in every format, and never NaN or infinity.
@Suite struct ReportDegenerateTests {
    static let spec = """
        name: degenerate
        schedule:
          start: 2026-11-20T00:00:00Z
        arms:
          - key: control
            strategy: popularity
            control: true
            weight: 0.4
          - key: some
            strategy: popularity
            params: {half_life_hours: 24}
            weight: 0.3
          - key: empty
            strategy: popularity
            params: {half_life_hours: 12}
            weight: 0.3
        metrics:
          primary: conversion
          secondary: [ctr, ndcg@3, revenue_per_unit]
          attribution_window: 2h
        """

    @Test(arguments: ["json", "csv", "markdown", "table", "html"])
    func noNaNAnywhere(format: String) throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: Self.spec)
            let t = ReportFixture.start.addingTimeInterval(3600)
            try fixture.log("degenerate", arm: "control", prefix: "c", units: 40, converting: 0, at: t)
            try fixture.log("degenerate", arm: "some", prefix: "s", units: 30, converting: 3, at: t)
            var arguments = ["report", "degenerate", "--format", format]
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("degenerate-\(UUID().uuidString).html").path
            if format == "html" { arguments += ["--output", file] }
            let output = try AbctlBinary.run(arguments, environment: fixture.environment)
            #expect(output.status == 0, "\(output.standardError)")
            let text = format == "html" ? try String(contentsOfFile: file, encoding: .utf8) : output.standardOutput
            for word in ["nan", "inf"] {
                // Whole words only: "information" or "infinity" in prose would be fine, a number is not.
                let pattern = try Regex("(?i)(^|[^a-z])\(word)($|[^a-z])")
                #expect(text.firstMatch(of: pattern) == nil, "\(format) output contains \(word)")
            }
            if format == "json" {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                let comparisons = try #require(json[path: "report", "comparisons"] as? [[String: Any]])
                // Against an empty arm every test says why it could not run.
                let empty = comparisons.filter { $0["arm"] as? String == "empty" }
                #expect(empty.count == 4)
                #expect(empty.allSatisfy { !(($0["messages"] as? [String]) ?? []).isEmpty })
                #expect(empty.allSatisfy { $0["isSignificant"] as? Bool == false })
                // A control that never converts has zero variance and a zero mean: no relative lift.
                let conversion = try #require(comparisons.first { $0["arm"] as? String == "some" && $0["metric"] as? String == "conversion" })
                #expect(!((conversion["messages"] as? [String]) ?? []).isEmpty)
                let verdicts = try #require(json[path: "report", "verdicts"] as? [[String: Any]])
                // An arm weighted 30% that got no units is itself a sample ratio mismatch:
                // 40/30/0 against 28/21/21 expected gives χ² = 144/28 + 81/21 + 441/21 = 30 on 2 df.
                #expect(verdicts.map { $0["decision"] as? String } == ["checkAssignment", "checkAssignment"])
                #expect(abs((json[path: "report", "sampleRatioMismatch", "chiSquare"] as? Double ?? 0) - 30) < 1e-9)
            }
        }
    }
}
