import Foundation
import PostgresTestSupport
import Testing

/// A bandit whose allocation moved while the base rate drifted: pooling gets the sign of
/// the lift wrong (Simpson's paradox); the report's post-stratification gets it right.
@Suite struct ReportBanditTests {
    // BanditDriftFixture's data. Period 1 (allocation 1, 90/10, day 1): the base rate is high.
    //   control 9,000 units, 4,500 convert (50%); treatment 1,000 units, 550 (55%).
    // Period 2 (allocation 2, 10/90, day 2): the base rate falls.
    //   control 1,000 units, 100 convert (10%); treatment 9,000 units, 990 (11%).
    // Treatment is better in both periods (+5 and +1 points, +10% relative in each), but
    // pooled: control 4,600/10,000 = 46%, treatment 1,540/10,000 = 15.4%: −30.6 points.
    // Post-stratified, period weights ½ and ½ (10,000 units each): control 0.3, treatment 0.33,
    // Δ = +0.03, 95% CI [0.0109640, 0.0490360], p = 0.00200945; relative +9.96380% (0.33/0.3
    // less its second-order bias); values from scripts/stats_poststratification_reference.py.
    @Test func postStratificationGetsTheSignThatPoolingGetsWrong() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: BanditDriftFixture.spec)
            try BanditDriftFixture.log(fixture.db)

            let json = try fixture.reportJSON("bandit-drift")
            #expect(json[path: "analysisMethod", "name"] as? String == "post-stratified")
            #expect((json[path: "analysisMethod", "reason"] as? String)?.contains("Simpson") == true)

            // The means shown are the estimator's; the raw pooled ones, which point the wrong
            // way, stay beside them, labelled.
            let summaries = try #require(json[path: "armSummaries", "conversion"] as? [[String: Any]])
            func value(_ arm: String, _ key: String) throws -> Double {
                try #require(summaries.first { $0["arm"] as? String == arm }?[key] as? Double)
            }
            let means = (try value("control", "mean"), try value("treatment", "mean"))
            let pooled = (try value("control", "pooledMean"), try value("treatment", "pooledMean"))
            #expect(abs(means.0 - 0.3) < 1e-12 && abs(means.1 - 0.33) < 1e-12)
            #expect(abs(pooled.0 - 0.46) < 1e-12 && abs(pooled.1 - 0.154) < 1e-12)

            // The report's lift points the right way, significantly, and agrees with its means.
            let comparisons = try #require(json[path: "report", "comparisons"] as? [[String: Any]])
            let c = try #require(comparisons.first)
            let absolute = try #require(c["absoluteLift"] as? [String: Any])
            let relative = try #require(c["relativeLift"] as? [String: Any])
            #expect(abs((absolute["estimate"] as? Double ?? 0) - 0.03) < 1e-12)
            #expect(abs((c["treatmentMean"] as? Double ?? 0) - (c["controlMean"] as? Double ?? 0) - 0.03) < 1e-12)
            #expect(abs((relative["estimate"] as? Double ?? 0) - 0.0996380016) < 1e-9)
            let interval = try #require(absolute["interval"] as? [String: Double])
            #expect(abs((interval["lower"] ?? 0) - 0.0109640) < 1e-7 && abs((interval["upper"] ?? 0) - 0.0490360) < 1e-7)
            #expect(abs((c["pValue"] as? Double ?? 0) - 0.00200945) < 1e-8)
            #expect((c["testMethod"] as? String)?.contains("post-stratified") == true)
            #expect(c["isSignificant"] as? Bool == true && c["isImprovement"] as? Bool == true)
            #expect((json[path: "report", "verdicts"] as? [[String: Any]])?.first?["decision"] as? String == "ship")
            // Traffic matched the allocation in force in each period: 9,000/1,000 at 90/10 twice.
            #expect(json[path: "report", "sampleRatioMismatch", "isMismatch"] as? Bool == false)

            // Cumulative lift by day of entry: day 1 holds period 1 only, day 2 both (+10% in each
            // less the second-order bias: 9.98778% and 9.96380%).
            let points = try #require(json["cumulativeLift"] as? [[String: Any]])
            #expect(points.count == 2)
            #expect(abs((points.first?["estimate"] as? Double ?? 0) - 0.0998777790) < 1e-9)
            #expect(abs((points.last?["estimate"] as? Double ?? 0) - 0.0996380016) < 1e-9)
            #expect(points.map { $0["units"] as? Double } == [10_000, 20_000])

            // The table says which method was used and why.
            let table = try AbctlBinary.run(["report", "bandit-drift"], environment: fixture.environment)
            #expect(table.standardOutput.contains("Analysis: post-stratified."))
            #expect(table.standardOutput.contains("mean (post-stratified)"))
            // CSV pairs the relative interval with its own (log-scale) test's p-value, 0.00170931
            // (scripts/stats_poststratification_reference.py), the absolute p-value apart.
            let csv = try AbctlBinary.run(["report", "bandit-drift", "--format", "csv"], environment: fixture.environment).standardOutput
            let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = try #require(lines.first)
            let row = try #require(lines.dropFirst().first)
            let column = try #require(header.firstIndex(of: "relative_p_value"))
            #expect(header[column - 1] == "relative_upper" && header[column + 3] == "relative_always_valid_p_value")
            // Counted from the end: the method column before it is quoted and holds commas.
            #expect(abs((Double(row[row.count - (header.count - column)]) ?? 0) - 0.001709314335) < 1e-10)
            #expect(table.standardOutput.contains("treatment: ship."))

            // The HTML report draws the cumulative lift (a band and a line) and the allocation history.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bandit-\(UUID().uuidString).html").path
            #expect(
                try AbctlBinary.run(["report", "bandit-drift", "--format", "html", "--output", file], environment: fixture.environment).status == 0
            )
            let page = try String(contentsOfFile: file, encoding: .utf8)
            #expect(page.contains("aria-label=\"cumulative lift of conversion over time\"><line"))
            #expect(page.contains("<polygon") && page.contains("Allocation over time"))
            #expect(page.contains("post-stratified"))
        }
    }

    /// The Grafana view (sql/0012) shows the same estimator as the report: the post-stratified
    /// means and, beside them, the lifts computed from them, equal to `abctl report`'s JSON.
    @Test func grafanaViewShowsTheReportsEstimator() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: BanditDriftFixture.spec)
            try BanditDriftFixture.log(fixture.db)
            let json = try fixture.reportJSON("bandit-drift")
            let c = try #require((json[path: "report", "comparisons"] as? [[String: Any]])?.first)
            let rows = try fixture.db.query(
                """
                SELECT arm, is_control, units, periods_used, mean, pooled_mean, absolute_lift, absolute_lower, absolute_upper,
                       p_value, relative_lift, relative_lower, relative_upper
                FROM abctl_dashboard_arm_estimates WHERE experiment = 'bandit-drift' AND metric = 'conversion' ORDER BY arm
                """
            )
            #expect(rows.count == 2)
            let control = rows[0]
            #expect(try control.decode(String.self, at: 0) == "control" && control.decode(Bool.self, at: 1))
            #expect(try control.decode(Int64.self, at: 2) == 10_000 && control.decode(Int32.self, at: 3) == 2)
            #expect(abs(try control.decode(Double.self, at: 4) - 0.3) < 1e-12)
            #expect(abs(try control.decode(Double.self, at: 5) - 0.46) < 1e-12)
            #expect(try control.decode(Double?.self, at: 6) == nil)
            let treatment = rows[1]
            let absolute = try #require(c["absoluteLift"] as? [String: Any])
            let interval = try #require(absolute["interval"] as? [String: Double])
            let relative = try #require(c["relativeLift"] as? [String: Any])
            let relativeInterval = try #require(relative["interval"] as? [String: Double])
            let expected: [(Int, Double)] = [
                (4, 0.33),
                (6, try #require(absolute["estimate"] as? Double)),
                (7, try #require(interval["lower"])),
                (8, try #require(interval["upper"])),
                (9, try #require(c["pValue"] as? Double)),
                (10, try #require(relative["estimate"] as? Double)),
                (11, try #require(relativeInterval["lower"])),
                (12, try #require(relativeInterval["upper"])),
            ]
            for (column, value) in expected {
                let actual = try treatment.decode(Double.self, at: column)
                // The p-value comes from abctl_normal_survival (A&S 26.2.17, absolute error under
                // 7.5e-8, doubled for two sides); every other column is exact arithmetic.
                let tolerance = column == 9 ? 1.5e-7 : 1e-9
                #expect(abs(actual - value) < tolerance, "column \(column): \(actual) against the report's \(value)")
            }
        }
    }
}
