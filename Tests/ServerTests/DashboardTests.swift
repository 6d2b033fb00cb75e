import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

@testable import Server

/// The built-in dashboard of `abctl serve` and the HTML report, loaded in headless Chromium:
/// the experiment page shows the numbers `abctl report --format json` gives for the same
/// experiment, both pages render, and neither logs a console message or fetches anything.
@Suite("GET /dashboard in headless Chromium")
struct DashboardTests {
    static let name = "dashboard-test"
    static let spec = """
        name: dashboard-test
        status: running
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
          primary: ctr
          secondary: [conversion, ndcg@3]
          k: 3
        """

    @Test("the experiment page shows abctl report's numbers and neither it nor the HTML report logs errors or fetches anything")
    func dashboardMatchesTheReport() async throws {
        let chromium = try HeadlessChromium.locate()
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec)
            let db = try fixture.connection()
            try Self.logTraffic(db)
            try ExperimentStore(connection: db).recordAllocation(
                Self.name,
                weights: ["control": 0.3, "treatment": 0.7],
                policy: "thompson",
                statisticsJSON: "{}"
            )
            let report = try Self.reportJSON(fixture.conninfo)
            let htmlReport = try Self.htmlReport(fixture.conninfo)
            defer { try? FileManager.default.removeItem(at: htmlReport) }

            try await fixture.test { client in
                let base = "http://127.0.0.1:\(try #require(client.port))"
                async let pageVisit = chromium.visit("\(base)/dashboard/\(Self.name)")
                async let listVisit = chromium.visit("\(base)/dashboard")
                async let reportVisit = chromium.visit(htmlReport.absoluteString)
                let (page, list, rendered) = try await (pageVisit, listVisit, reportVisit)

                for (label, visit) in [("dashboard page", page), ("experiment list", list), ("HTML report", rendered)] {
                    #expect(visit.consoleMessages.isEmpty, "\(label) logged to the console: \(visit.consoleMessages)")
                    #expect(visit.pageRequests.isEmpty, "\(label) fetched \(visit.pageRequests)")
                }
                #expect(page.navigations == ["\(base)/dashboard/\(Self.name)"], "the net log saw the page load itself: \(page.navigations)")
                #expect(visibleText(list.dom).contains("\(Self.name) 1 running 2"), "experiment list: \(visibleText(list.dom))")
                #expect(list.dom.contains("href=\"/dashboard/\(Self.name)\""))
                #expect(visibleText(rendered.dom).contains(Self.name), "the HTML report rendered")
                #expect(report.armSummaries.count == 3, "ctr, conversion and ndcg@3: \(report.armSummaries.keys.sorted())")
                try Self.expectReportNumbers(report, in: page.dom)
                try Self.expectAllocationChart(in: page.dom)

                let blank = try await chromium.screenshot("about:blank")
                let screenshot = try await chromium.screenshot("\(base)/dashboard/\(Self.name)")
                try Self.expectPNG(screenshot, width: 1200, height: 900)
                // To look at it: ABCTL_SCREENSHOT_DIR=/some/folder swift test --filter DashboardTests
                if let folder = ProcessInfo.processInfo.environment["ABCTL_SCREENSHOT_DIR"] {
                    try screenshot.write(to: URL(fileURLWithPath: folder).appendingPathComponent("dashboard.png"))
                    try page.dom.write(to: URL(fileURLWithPath: folder).appendingPathComponent("dashboard.html"), atomically: true, encoding: .utf8)
                }
                // A page of tables and a chart compresses far worse than an empty white one.
                #expect(screenshot.count > 4 * blank.count, "screenshot \(screenshot.count) bytes vs blank \(blank.count)")
            }
        }
    }

    @Test("the console and network checks catch a page that throws and fetches, even with the network cut off")
    func theChecksCatchAFaultyPage() async throws {
        let chromium = try HeadlessChromium.locate()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-faulty-\(UInt32.random(in: 0...UInt32.max)).html")
        try #"<!doctype html><link rel="icon" href="data:,"><img src="http://127.0.0.1:9/x.png"><script>notDefined()</script>"#
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let visit = try await chromium.visit(file.absoluteString, offline: true)
        #expect(visit.consoleMessages.contains { $0.contains("Uncaught ReferenceError") }, "\(visit.consoleMessages)")
        #expect(visit.pageRequests == ["http://127.0.0.1:9/x.png"])
    }

    @Test("an unknown experiment is a 404 page and the list links every experiment")
    func unknownExperiment() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec)
            try await fixture.test { client in
                let missing = try await client.getText("/dashboard/nope")
                #expect(missing.status == 404 && missing.text.contains("No experiment called “nope”"))
                let list = try await client.getText("/dashboard")
                #expect(list.status == 200 && list.text.contains("href=\"/dashboard/\(Self.name)\""))
            }
        }
    }

    @Test("the dashboard's reads run as abctl_reader in a read-only transaction and cannot write")
    func readsCannotWrite() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec)
            let pool = PostgresConnectionPool(conninfo: fixture.conninfo, size: 1)
            let database = ReadOnlyDatabase(pool: pool)
            #expect(try await database.read { db in try db.query("SELECT current_user")[0].decode(String.self, at: 0) } == "abctl_reader")
            let error = await #expect(throws: PostgresError.self) {
                try await database.read { db in
                    try db.execute("INSERT INTO experiment_status (experiment, status) VALUES ('dashboard-test', 'stopped')")
                }
            }
            #expect(error?.description.contains("read-only transaction") == true, "\(String(describing: error))")
            // The role ended with the transaction: the pooled connection is the server's own user again.
            let user = try await pool.withConnection { db in try db.query("SELECT current_user")[0].decode(String.self, at: 0) }
            #expect(user != "abctl_reader")
            #expect(try fixture.connection().query("SELECT count(*) FROM experiment_status WHERE status = 'stopped'")[0].decode(Int.self, at: 0) == 0)
        }
    }

    /// 200 units per arm, one impression each of items a, b, c, a minute ago. Control: units
    /// 0, 4, 8, … click (50 of 200), multiples of 10 buy (20); treatment: units with n mod 3 ≠ 2
    /// click (134), multiples of 5 buy (40). Clicks land on positions 1–3 by n mod 3.
    static func logTraffic(_ db: PostgresConnection) throws {
        try db.executeScript(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            SELECT gen_random_uuid(), 'dashboard-test', 1, a.arm, a.arm || '-' || n, ARRAY['a', 'b', 'c'], ARRAY[3, 2, 1]::double precision[], 0.5, 1,
                   now() - interval '60 seconds'
            FROM generate_series(0, 199) AS n, (VALUES ('control'), ('treatment')) AS a(arm);
            WITH shown AS (SELECT i.*, split_part(i.unit_id, '-', 2)::integer AS n FROM impressions i WHERE i.experiment = 'dashboard-test')
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'click-' || request_id, request_id, unit_id, item_ids[1 + n % 3], 'click', 0, created_at + interval '10 seconds' FROM shown
            WHERE (arm = 'control' AND n % 4 = 0) OR (arm = 'treatment' AND n % 3 <> 2)
            UNION ALL
            SELECT 'buy-' || request_id, request_id, unit_id, item_ids[1], 'purchase', 10, created_at + interval '20 seconds' FROM shown
            WHERE (arm = 'control' AND n % 10 = 0) OR (arm = 'treatment' AND n % 5 = 0);
            """
        )
    }

    /// Every number the report gives per metric and arm appears in that metric's section of
    /// the page, in the report's formatting: units, mean, relative lift, its interval and the
    /// p-value of the same test; then the verdicts and the SRM p-value.
    static func expectReportNumbers(_ report: ReportJSON, in dom: String) throws {
        for (metric, summaries) in report.armSummaries {
            let section = try #require(
                dom.components(separatedBy: "<section>").first { $0.contains("<h2>\(metric)</h2>") },
                "no section for \(metric)"
            )
            let rows = section.components(separatedBy: "<tr").map { visibleText("<tr" + $0) }
            for summary in summaries {
                let mean = try #require(summary.mean)
                // The row starts with the arm's units and mean, then its own interval (which
                // the report does not print), then the lift columns.
                let start = "\(summary.arm) \(Int(summary.units)) \(ReportFormat.number(mean)) ["
                let row = try #require(rows.first { $0.hasPrefix(start) }, "\(metric): no row starting “\(start)” in \(rows)")
                if let comparison = report.report.comparisons.first(where: { $0.metric == metric && $0.arm == summary.arm }) {
                    let interval = comparison.relativeLift.interval
                    let lift =
                        ReportFormat.percent(comparison.relativeLift.estimate)
                        + " [\(ReportFormat.bound(interval.lower, infinity: "−∞")), \(ReportFormat.bound(interval.upper, infinity: "∞"))]"
                        + " \(ReportFormat.number(comparison.fixedRelativePValue))"
                    #expect(row.contains(lift), "\(metric), \(summary.arm): expected “\(lift)” in “\(row)”")
                }
            }
        }
        let text = visibleText(dom)
        #expect(!report.report.verdicts.isEmpty)
        for verdict in report.report.verdicts {
            #expect(text.contains("\(verdict.arm): \(ReportFormat.words(verdict.decision))."), "verdict of \(verdict.arm): \(verdict.decision)")
        }
        let srm = try #require(report.report.sampleRatioMismatch)
        #expect(text.contains("p = \(ReportFormat.number(srm.pValue))"), "SRM p-value \(srm.pValue)")
    }

    /// The chart draws one step line per arm, and the table lists both allocation versions.
    static func expectAllocationChart(in dom: String) throws {
        let chart = try #require(dom.components(separatedBy: "<section>").first { $0.contains("<h2>Allocation over time</h2>") })
        #expect(chart.contains("aria-label=\"allocation over time\""))
        #expect(chart.components(separatedBy: "<polyline").count - 1 == 2)
        let text = visibleText(chart)
        #expect(text.contains("thompson 30.0% 70.0%") && text.contains("fixed 50.0% 50.0%"), "\(text)")
    }

    /// A PNG signature and an IHDR of the window's size.
    static func expectPNG(_ data: Data, width: Int, height: Int) throws {
        let bytes = [UInt8](data)
        try #require(bytes.count > 24)
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func bigEndian(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(16) == width && bigEndian(20) == height)
    }

    static func reportJSON(_ conninfo: String, experiment: String = name) throws -> ReportJSON {
        let output = try abctl(["report", experiment, "--format", "json", "--database-url", conninfo])
        return try JSONDecoder().decode(ReportJSON.self, from: Data(output.utf8))
    }

    static func htmlReport(_ conninfo: String, experiment: String = name) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-report-\(UInt32.random(in: 0...UInt32.max)).html")
        try abctl(["report", experiment, "--format", "html", "--output", file.path, "--database-url", conninfo])
        return file
    }

    @discardableResult
    static func abctl(_ arguments: [String]) throws -> String {
        let binary = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/abctl").path
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root",
        ]
        let output = try ProcessRunner.run(binary, arguments, environment: environment)
        guard output.status == 0 else { throw FixtureError("abctl \(arguments.joined(separator: " ")) failed: \(output.combined)") }
        return output.standardOutput
    }
}

/// The parts of `abctl report --format json` the dashboard must agree with.
struct ReportJSON: Decodable {
    struct Summary: Decodable {
        var arm: String
        var units: Double
        var mean: Double?
    }

    struct Bounds: Decodable {
        var lower: Double?
        var upper: Double?
    }

    struct Lift: Decodable {
        var estimate: Double
        var interval: Bounds
        var sequentialInterval: Bounds
    }

    struct Comparison: Decodable {
        var metric: String
        var arm: String
        var relativeLift: Lift
        var pValue: Double
        var sequentialPValue: Double
        var adjustedPValue: Double?
        var usesSequentialPValue: Bool
        var chanceToBeatControl: Double
        var relativePValue: Double?
        var relativeSequentialPValue: Double?

        /// The p-value decisions rest on (Stats.MetricComparison.decisionPValue).
        var decisionPValue: Double { adjustedPValue ?? (usesSequentialPValue ? sequentialPValue : pValue) }
        /// The p-value of the relative lift's fixed-horizon test, printed beside its interval.
        var fixedRelativePValue: Double { relativePValue ?? pValue }
        /// The p-value of the relative lift's always-valid test, printed beside its sequence.
        var sequentialRelativePValue: Double { relativeSequentialPValue ?? sequentialPValue }
    }

    struct Verdict: Decodable {
        var arm: String
        var decision: String
    }

    struct SampleRatio: Decodable {
        var pValue: Double
    }

    struct Method: Decodable {
        var name: String
    }

    struct Allocation: Decodable {
        var version: Int
        var policy: String
        var weights: [String: Double]
    }

    struct Analysis: Decodable {
        var comparisons: [Comparison]
        var verdicts: [Verdict]
        var sampleRatioMismatch: SampleRatio?
    }

    var armSummaries: [String: [Summary]]
    var report: Analysis
    var analysisMethod: Method
    var allocations: [Allocation]
}

/// `abctl report`'s number formats (Sources/CLI/Report/ReportRenderer.swift), written out
/// here so the test does not borrow the dashboard's own formatter.
enum ReportFormat {
    static func number(_ value: Double) -> String {
        value != 0 && abs(value) < 0.001 ? String(format: "%.2e", value) : String(format: "%.4f", value)
    }

    static func percent(_ value: Double) -> String {
        String(format: "%+.2f%%", value * 100).replacingOccurrences(of: "+-", with: "-")
    }

    /// A percentage bound of a lift interval; a missing bound is unbounded.
    static func bound(_ value: Double?, infinity: String) -> String {
        value.map { String(format: "%.2f%%", $0 * 100) } ?? infinity
    }

    /// A probability as a percentage, e.g. 97.50%.
    static func probability(_ value: Double) -> String {
        String(format: "%.2f%%", value * 100)
    }

    static func words(_ decision: String) -> String {
        ["ship": "ship", "stopForHarm": "stop for harm", "keepRunning": "keep running", "checkAssignment": "check assignment"][decision] ?? decision
    }
}
