import Foundation
import PostgresTestSupport
import Testing

/// CUPED from logged data: each unit's pre-period revenue, computed in SQL from the
/// interactions table, adjusts revenue per unit. Expected values from
/// scripts/report_cuped_reference.py (numpy 2.4, scipy 1.17), which defines the same dataset.
@Suite struct ReportCUPEDTests {
    static let spec = """
        name: cuped-revenue
        schedule:
          start: 2026-11-20T00:00:00Z
        arms:
          - key: control
            strategy: popularity
            control: true
            weight: 0.5
          - key: treatment
            strategy: popularity
            params: {half_life_hours: 24}
            weight: 0.5
        metrics:
          primary: revenue_per_unit
          attribution_window: 2h
        analysis:
          cuped: pre_period_revenue
          sequential: false
          correction: none
        """

    /// Logs the script's dataset: per arm 40 units with pre-period revenue z and revenue x,
    /// plus interactions that must not count (outside the pre-period, or not purchases).
    func logDataset(_ fixture: ReportFixture) throws {
        let start = ReportFixture.start
        for (arm, shift, bonus) in [("control", 0, 0.0), ("treatment", 2, 2.0)] {
            var (units, z, x): ([String], [Double], [Double]) = ([], [], [])
            for i in 1...40 {
                let pre = 5.0 * Double((i + shift) % 7)
                units.append("\(arm)-\(i)")
                z.append(pre)
                x.append(pre + 3.0 * Double((i * i) % 5) + bonus)
            }
            try fixture.db.execute(
                """
                INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
                SELECT md5(u)::uuid, 'cuped-revenue', 1, \(arm), u, ARRAY['i1','i2'], ARRAY[2,1]::float8[], 0.5, 1, \(start.addingTimeInterval(3600))
                FROM unnest(\(units)::text[]) u
                """
            )
            try fixture.db.execute(
                """
                INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                SELECT 'buy-' || u, md5(u)::uuid, u, 'i1', 'purchase', x, \(start.addingTimeInterval(3660))
                FROM unnest(\(units)::text[], \(x)::float8[]) AS t(u, x) WHERE x > 0
                """
            )
            try fixture.db.execute(
                """
                INSERT INTO interactions (unit_id, item_id, event_type, value, occurred_at)
                SELECT u, 'i9', 'purchase', z, \(start.addingTimeInterval(-2 * 86_400)) FROM unnest(\(units)::text[], \(z)::float8[]) AS t(u, z) WHERE z > 0
                UNION ALL
                SELECT u, 'i9', 'purchase', 1000, \(start.addingTimeInterval(-20 * 86_400)) FROM unnest(\(units)::text[]) WITH ORDINALITY AS t(u, i) WHERE i % 5 = 0
                UNION ALL
                SELECT u, 'i8', 'click', 7, \(start.addingTimeInterval(-86_400)) FROM unnest(\(units)::text[]) u
                """
            )
        }
    }

    @Test func adjustsRevenueWithPrePeriodRevenueAsNumpyDoes() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: Self.spec)
            try logDataset(fixture)
            let json = try fixture.reportJSON("cuped-revenue")
            let c = try #require((json[path: "report", "comparisons"] as? [[String: Any]])?.first)
            // scripts/report_cuped_reference.py: theta 1.009588110743, lift 1.996404458471 (2.375
            // unadjusted), relative 0.095066878975, Welch p 0.0829529711822, variance −79.75%.
            #expect(abs((c["cupedTheta"] as? Double ?? 0) - 1.009588110743) < 1e-9)
            #expect(abs((c[path: "absoluteLift", "estimate"] as? Double ?? 0) - 1.996404458471) < 1e-9)
            #expect(abs((c[path: "relativeLift", "estimate"] as? Double ?? 0) - 0.095066878975) < 1e-9)
            #expect(abs((c["pValue"] as? Double ?? 0) - 0.0829529711822) < 1e-9)
            #expect((c["testMethod"] as? String)?.hasPrefix("CUPED-adjusted") == true)
            #expect(c["adjustedPValue"] == nil || c["adjustedPValue"] is NSNull)  // correction: none
            let adjustment = try #require((json[path: "cuped", "adjustments"] as? [[String: Any]])?.first)
            #expect(abs((adjustment["varianceReduction"] as? Double ?? 0) - 0.797539693235) < 1e-9)
            #expect(abs((adjustment["theta"] as? Double ?? 0) - 1.009588110743) < 1e-9)
            #expect((json[path: "cuped", "source"] as? String)?.contains("interactions") == true)

            let table = try AbctlBinary.run(["report", "cuped-revenue"], environment: fixture.environment)
            #expect(table.standardOutput.contains("variance of the lift reduced by 79.8%"))
        }
    }

    @Test func anUnknownCovariateIsReportedNotFatal() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(
                conninfo: conninfo,
                spec: Self.spec.replacingOccurrences(of: "pre_period_revenue", with: "last_year_spend")
            )
            try logDataset(fixture)
            let json = try fixture.reportJSON("cuped-revenue")
            #expect((json[path: "cuped", "note"] as? String)?.contains("CUPED was not applied") == true)
            // Unadjusted: 2.375 (script's "unadjusted lift").
            let c = try #require((json[path: "report", "comparisons"] as? [[String: Any]])?.first)
            #expect(abs((c[path: "absoluteLift", "estimate"] as? Double ?? 0) - 2.375) < 1e-9)
        }
    }
}
