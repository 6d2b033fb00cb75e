import Foundation
import PostgresTestSupport
import Testing

@testable import Server

/// The dashboard and `abctl report` share one loader and one analysis (Sources/Reporting):
/// for a bandit whose weights moved, the experiment page shows the per-period weighted lift
/// the report gives, not the pooled one that points the other way.
@Suite("GET /dashboard/NAME of a bandit shows the report's per-period analysis")
struct DashboardBanditTests {
    @Test func thePageShowsPerPeriodLiftsNotPooledOnes() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(BanditDriftFixture.spec)
            try BanditDriftFixture.log(fixture.connection())
            let report = try DashboardTests.reportJSON(fixture.conninfo, experiment: BanditDriftFixture.name)

            try await fixture.test { client in
                let page = try await client.getText("/dashboard/\(BanditDriftFixture.name)")
                #expect(page.status == 200)
                let text = visibleText(page.text)
                #expect(text.contains("Analysis: per-period weighting."), "\(text.prefix(600))")

                // Hand-computed (BanditDriftFixture): pooled means with their intervals,
                // then the per-period relative lift +10% [−1.22%, 21.22%], p = 0.0020 and
                // P(beat control) = Φ(3.0936) = 99.90%.
                let section = try #require(page.text.components(separatedBy: "<section>").first { $0.contains("<h2>conversion</h2>") })
                let rows = section.components(separatedBy: "<tr").map { visibleText("<tr" + $0) }
                #expect(rows.contains { $0.hasPrefix("control 10000 0.4600 [0.4502, 0.4698] control") }, "\(rows)")
                #expect(rows.contains { $0.hasPrefix("treatment 10000 0.1540 [0.1469, 0.1611] +10.00% [-1.22%, 21.22%] 0.0020 99.90%") }, "\(rows)")
                // Pooling would say −66.52% and stop for harm.
                #expect(!text.contains("-66.52%"))
                #expect(text.contains("treatment: ship."))

                // And every number agrees with `abctl report --format json`.
                #expect(report.analysisMethod.name == "per-period weighting")
                try DashboardTests.expectReportNumbers(report, in: page.text)
            }
        }
    }
}
