import Foundation
import PostgresTestSupport
import Testing

/// The HTML report `abctl demo` writes (`abctl report NAME --format html --output F`) opened
/// in headless Chromium cut off from the network: it renders, logs nothing to the console,
/// fetches nothing, and shows the numbers `abctl report --format json` gives.
@Suite("the HTML report in headless Chromium")
struct DashboardReportBrowserTests {
    @Test func theBanditReportRendersOfflineWithTheReportsNumbers() async throws {
        let chromium = try HeadlessChromium.locate()
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(BanditDriftFixture.spec)
            try BanditDriftFixture.log(fixture.connection())
            let report = try DashboardTests.reportJSON(fixture.conninfo, experiment: BanditDriftFixture.name)
            let file = try DashboardTests.htmlReport(fixture.conninfo, experiment: BanditDriftFixture.name)
            defer { try? FileManager.default.removeItem(at: file) }

            let visit = try await chromium.visit(file.absoluteString, offline: true)
            #expect(visit.consoleMessages.isEmpty, "the HTML report logged to the console: \(visit.consoleMessages)")
            #expect(visit.pageRequests.isEmpty, "the HTML report fetched \(visit.pageRequests)")
            try Self.expectReportNumbers(report, in: visit.dom)

            let blank = try await chromium.screenshot("about:blank", offline: true)
            let screenshot = try await chromium.screenshot(file.absoluteString, offline: true)
            try DashboardTests.expectPNG(screenshot, width: 1200, height: 900)
            // To look at it: ABCTL_SCREENSHOT_DIR=/some/folder swift test --filter DashboardReportBrowserTests
            if let folder = ProcessInfo.processInfo.environment["ABCTL_SCREENSHOT_DIR"] {
                try screenshot.write(to: URL(fileURLWithPath: folder).appendingPathComponent("report.png"))
            }
            // Tables, a forest plot, posterior curves and charts compress far worse than a blank page.
            #expect(screenshot.count > 4 * blank.count, "screenshot \(screenshot.count) bytes vs blank \(blank.count)")
        }
    }

    /// Every row of every metric's table as the report prints it (arm, units, mean, then for a
    /// treatment the relative lift with its interval, the always-valid interval, the decision
    /// p-value and P(beat control)), the method, the verdicts, the SRM p-value and the
    /// allocation history, all in the text of the rendered page.
    static func expectReportNumbers(_ report: ReportJSON, in dom: String) throws {
        let text = visibleText(dom)
        let rows = dom.components(separatedBy: "<tr").map { visibleText("<tr" + $0) }
        #expect(!report.armSummaries.isEmpty)
        for (metric, summaries) in report.armSummaries {
            for summary in summaries {
                var row = "\(summary.arm) \(Int(summary.units)) \(ReportFormat.number(try #require(summary.mean)))"
                if let c = report.report.comparisons.first(where: { $0.metric == metric && $0.arm == summary.arm }) {
                    func interval(_ b: ReportJSON.Bounds) -> String {
                        "[\(ReportFormat.bound(b.lower, infinity: "∞")), \(ReportFormat.bound(b.upper, infinity: "∞"))]"
                    }
                    row += " \(ReportFormat.percent(c.relativeLift.estimate)) \(interval(c.relativeLift.interval))"
                    row += " \(ReportFormat.number(c.fixedRelativePValue))"
                    row += " \(interval(c.relativeLift.sequentialInterval)) \(ReportFormat.number(c.sequentialRelativePValue))"
                    row += " \(ReportFormat.probability(c.chanceToBeatControl))"
                } else {
                    row += " (control)"
                }
                #expect(rows.contains { $0 == row || $0.hasPrefix(row + " ") }, "\(metric): no row “\(row)” in \(rows)")
            }
        }
        #expect(text.contains("Analysis: \(report.analysisMethod.name)."))
        #expect(!report.report.verdicts.isEmpty)
        for verdict in report.report.verdicts {
            #expect(text.contains("\(verdict.arm): \(verdict.decision)."), "verdict of \(verdict.arm): \(verdict.decision)")
        }
        let srm = try #require(report.report.sampleRatioMismatch)
        #expect(text.contains("(p = \(ReportFormat.number(srm.pValue)))"), "SRM p-value \(srm.pValue)")
        #expect(report.allocations.count == 2)
        for allocation in report.allocations {
            let weights = ["control", "treatment"].map { String(format: "%.3f", allocation.weights[$0] ?? 0) }.joined(separator: " ")
            #expect(rows.contains { $0.hasPrefix("\(allocation.version) ") && $0.hasSuffix("\(allocation.policy) \(weights)") }, "\(rows)")
        }
    }
}
