import Foundation
import PostgresTestSupport
import Testing

/// A bandit whose allocation moved while the base rate drifted: pooling gets the sign of
/// the lift wrong (Simpson's paradox); the report's per-period weighting gets it right.
@Suite struct ReportBanditTests {
    // BanditDriftFixture's data. Period 1 (allocation 1, 90/10, day 1): the base rate is high.
    //   control 9,000 units, 4,500 convert (50%); treatment 1,000 units, 550 (55%).
    // Period 2 (allocation 2, 10/90, day 2): the base rate falls.
    //   control 1,000 units, 100 convert (10%); treatment 9,000 units, 990 (11%).
    // Treatment is better in both periods (+5 and +1 points, +10% relative in each), but
    // pooled: control 4,600/10,000 = 46%, treatment 1,540/10,000 = 15.4%: −30.6 points.
    // Per period, weights ∝ units (10,000 each, ½ and ½):
    //   Δ = ½·0.05 + ½·0.01 = +0.03; relative Δ = ½·0.10 + ½·0.10 = +0.10.
    //   V₁ = 0.5·0.5/9000 + 0.55·0.45/1000 = 2.752778e-4; V₂ = 0.1·0.9/1000 + 0.11·0.89/9000 = 1.008778e-4;
    //   Var = ¼(V₁ + V₂) = 9.403889e-5, se = 0.00969737; 95% CI 0.03 ± 1.959964·se = [0.010994, 0.049006];
    //   z = 3.0936, p = 2Φ(−z) = 0.0019773 (scipy 1.17 `norm.sf`).
    @Test func perPeriodWeightingGetsTheSignThatPoolingGetsWrong() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: BanditDriftFixture.spec)
            try BanditDriftFixture.log(fixture.db)

            let json = try fixture.reportJSON("bandit-drift")
            #expect(json[path: "analysisMethod", "name"] as? String == "per-period weighting")
            #expect((json[path: "analysisMethod", "reason"] as? String)?.contains("Simpson") == true)

            // The pooled means point the wrong way.
            let summaries = try #require(json[path: "armSummaries", "conversion"] as? [[String: Any]])
            let control = try #require(summaries.first { $0["arm"] as? String == "control" }?["mean"] as? Double)
            let treatment = try #require(summaries.first { $0["arm"] as? String == "treatment" }?["mean"] as? Double)
            #expect(abs(control - 0.46) < 1e-12 && abs(treatment - 0.154) < 1e-12)

            // The report's lift points the right way, significantly.
            let comparisons = try #require(json[path: "report", "comparisons"] as? [[String: Any]])
            let c = try #require(comparisons.first)
            let absolute = try #require(c["absoluteLift"] as? [String: Any])
            let relative = try #require(c["relativeLift"] as? [String: Any])
            #expect(abs((absolute["estimate"] as? Double ?? 0) - 0.03) < 1e-12)
            #expect(abs((relative["estimate"] as? Double ?? 0) - 0.10) < 1e-12)
            let interval = try #require(absolute["interval"] as? [String: Double])
            #expect(abs((interval["lower"] ?? 0) - 0.010994) < 1e-6 && abs((interval["upper"] ?? 0) - 0.049006) < 1e-6)
            #expect(abs((c["pValue"] as? Double ?? 0) - 0.0019773) < 1e-6)
            #expect((c["testMethod"] as? String)?.contains("per-period") == true)
            #expect(c["isSignificant"] as? Bool == true && c["isImprovement"] as? Bool == true)
            #expect((json[path: "report", "verdicts"] as? [[String: Any]])?.first?["decision"] as? String == "ship")
            // Traffic matched the allocation in force in each period: 9,000/1,000 at 90/10 twice.
            #expect(json[path: "report", "sampleRatioMismatch", "isMismatch"] as? Bool == false)

            // Cumulative lift by day of entry: day 1 holds period 1 only (+10% relative), day 2 both (+10%).
            let points = try #require(json["cumulativeLift"] as? [[String: Any]])
            #expect(points.count == 2)
            #expect(points.allSatisfy { abs(($0["estimate"] as? Double ?? 0) - 0.10) < 1e-12 })
            #expect(points.map { $0["units"] as? Double } == [10_000, 20_000])

            // The table says which method was used and why.
            let table = try AbctlBinary.run(["report", "bandit-drift"], environment: fixture.environment)
            #expect(table.standardOutput.contains("Analysis: per-period weighting."))
            #expect(table.standardOutput.contains("treatment: ship."))

            // The HTML report draws the cumulative lift (a band and a line) and the allocation history.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bandit-\(UUID().uuidString).html").path
            #expect(
                try AbctlBinary.run(["report", "bandit-drift", "--format", "html", "--output", file], environment: fixture.environment).status == 0
            )
            let page = try String(contentsOfFile: file, encoding: .utf8)
            #expect(page.contains("aria-label=\"cumulative lift of conversion over time\"><line"))
            #expect(page.contains("<polygon") && page.contains("Allocation over time"))
            #expect(page.contains("per-period weighting"))
        }
    }
}
