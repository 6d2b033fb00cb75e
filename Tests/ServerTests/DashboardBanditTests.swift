import Foundation
import PostgresTestSupport
import Testing

@testable import Server

/// The dashboard and `abctl report` share one loader and one analysis (Sources/Reporting):
/// for a bandit whose weights moved, the experiment page shows the post-stratified lift
/// the report gives, not the pooled one that points the other way.
@Suite("GET /dashboard/NAME of a bandit shows the report's post-stratified analysis")
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
                #expect(text.contains("Analysis: post-stratified."), "\(text.prefix(600))")

                // BanditDriftFixture, by scripts/stats_poststratification_reference.py: the
                // post-stratified means 0.3 and 0.33 with their intervals, then the relative
                // lift +9.96% [3.64%, 16.75%] and the p-value of that same (log-scale) test, 0.0017.
                let section = try #require(page.text.components(separatedBy: "<section>").first { $0.contains("<h2>conversion</h2>") })
                let rows = section.components(separatedBy: "<tr").map { visibleText("<tr" + $0) }
                #expect(rows.contains { $0.hasPrefix("control 10000 0.3000 [0.2893, 0.3107] control") }, "\(rows)")
                #expect(rows.contains { $0.hasPrefix("treatment 10000 0.3300 [0.3142, 0.3458] +9.96% [3.64%, 16.75%] 0.0017 ") }, "\(rows)")
                // Pooling would say −66.52% and stop for harm.
                #expect(!text.contains("-66.52%"))
                #expect(text.contains("treatment: ship."))

                // And every number agrees with `abctl report --format json`.
                #expect(report.analysisMethod.name == "post-stratified")
                try DashboardTests.expectReportNumbers(report, in: page.text)
            }
        }
    }
}
