import Foundation
import PostgresTestSupport
import Testing

/// The report decides on always-valid p-values and shows the confidence sequence, flags a
/// breached guardrail, and says how much power and how many units are still needed.
@Suite struct ReportSequentialTests {
    static let spec = """
        name: peeking
        schedule:
          start: 2026-11-20T00:00:00Z
        arms:
          - key: control
            strategy: popularity
            control: true
            weight: 0.5
          - key: cheap
            strategy: popularity
            params: {half_life_hours: 24}
            weight: 0.5
        metrics:
          primary: conversion
          attribution_window: 2h
          guardrails:
            - metric: revenue_per_unit
              max_relative_drop: 0.02
        """

    // Conversion 300/3,000 = 10% vs 360/3,000 = 12%, Δ = 0.02, V = 0.1·0.9/3000 + 0.12·0.88/3000 = 6.52e-5.
    // Fixed: pooled two-proportion z, p = 0.0133 (scipy 1.17 `norm.sf`), interval 0.02 ± 1.96√V = [0.00417, 0.03583].
    // Always-valid (mSPRT, docs/statistics.md): ρ² = (−2 ln 0.05 + ln(1 − 2 ln 0.05))/5000 = 1.58745e-3,
    // τ² = ρ²·6000·V = 6.20925e-4, ln Λ = ½ ln(V/(V+τ²)) + τ²Δ²/(2V(V+τ²)) = 1.599192, p = 1/Λ = 0.202060;
    // sequence 0.02 ± √(V(V+τ²)/τ² · (2 ln 20 + ln((V+τ²)/V))) = [−0.004520, 0.044520].
    // Revenue: purchases worth 20 vs 10: 2.0 vs 1.2 per unit, −40%, far beyond the 2% allowed.
    @Test func decidesOnAlwaysValidPValuesAndFlagsTheGuardrail() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: Self.spec)
            let t = ReportFixture.start.addingTimeInterval(3600)
            try fixture.log("peeking", arm: "control", prefix: "c", units: 3000, converting: 300, at: t, value: 20)
            try fixture.log("peeking", arm: "cheap", prefix: "t", units: 3000, converting: 360, at: t, value: 10)
            let json = try fixture.reportJSON("peeking")
            let comparisons = try #require(json[path: "report", "comparisons"] as? [[String: Any]])
            let conversion = try #require(comparisons.first { $0["metric"] as? String == "conversion" })
            #expect(abs((conversion["pValue"] as? Double ?? 0) - 0.013300442671) < 1e-9)
            #expect(abs((conversion["sequentialPValue"] as? Double ?? 0) - 0.202059617541) < 1e-9)
            #expect(conversion["usesSequentialPValue"] as? Bool == true)
            #expect(conversion["isSignificant"] as? Bool == false)  // fixed p < 0.05, but peeking-safe p is not
            let sequence = try #require(conversion[path: "absoluteLift", "sequentialInterval"] as? [String: Double])
            #expect(abs((sequence["lower"] ?? 0) + 0.004520013499) < 1e-9 && abs((sequence["upper"] ?? 0) - 0.044520013499) < 1e-9)
            #expect(((conversion["power"] as? Double) ?? 0) > 0 && ((conversion["unitsStillNeededPerArm"] as? Double) ?? 0) > 0)

            let revenue = try #require(comparisons.first { $0["metric"] as? String == "revenue_per_unit" })
            #expect(revenue["guardrailStatus"] as? String == "breached")
            let verdict = try #require((json[path: "report", "verdicts"] as? [[String: Any]])?.first)
            #expect(verdict["decision"] as? String == "stopForHarm")

            let table = try AbctlBinary.run(["report", "peeking"], environment: fixture.environment).standardOutput
            #expect(table.contains("always-valid CI") && table.contains("always-valid p"))
            #expect(table.contains("decisions use the always-valid p-value of the absolute lift adjusted across arms × metrics"))
            // The relative confidence sequence is printed in its own column.
            let relative = try #require(conversion[path: "relativeLift", "sequentialInterval"] as? [String: Double])
            let printed = String(format: "[%.2f%%, %.2f%%]", (relative["lower"] ?? 0) * 100, (relative["upper"] ?? 0) * 100)
            #expect(table.contains(printed), "\(printed) not in \(table)")
            #expect(table.contains("cheap: guardrail breached"))
            #expect(table.contains("more units per arm needed"))
            #expect(table.contains("cheap: stop for harm."))
        }
    }
}
