import Foundation
import PostgresTestSupport
import Testing

/// `abctl report --segment device`: per-segment results grouped in SQL by the context of
/// each unit's first impression, corrected across arms × metrics × segments.
@Suite struct ReportSegmentTests {
    static let spec = """
        name: segmented
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
          primary: conversion
          secondary: [ctr]
          attribution_window: 2h
        """

    @Test func segmentsAreDisjointExploratoryAndCorrectedTogether() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let fixture = try ReportFixture(conninfo: conninfo, spec: Self.spec)
            let t = ReportFixture.start.addingTimeInterval(3600)
            let (mobile, desktop) = (#"{"device": "mobile"}"#, #"{"device": "desktop"}"#)
            // mobile: 10% vs 15% on 2,000 units each; desktop: 10% vs 10% on 1,000 each;
            // 10 units per arm without a device key, 1 converting.
            try fixture.log("segmented", arm: "control", prefix: "cm", units: 2000, converting: 200, at: t, context: mobile)
            try fixture.log("segmented", arm: "treatment", prefix: "tm", units: 2000, converting: 300, at: t, context: mobile)
            try fixture.log("segmented", arm: "control", prefix: "cd", units: 1000, converting: 100, at: t, context: desktop)
            try fixture.log("segmented", arm: "treatment", prefix: "td", units: 1000, converting: 100, at: t, context: desktop)
            try fixture.log("segmented", arm: "control", prefix: "cn", units: 10, converting: 1, at: t)
            try fixture.log("segmented", arm: "treatment", prefix: "tn", units: 10, converting: 1, at: t)
            // A control unit seen first on mobile, an hour later on desktop: it stays in mobile.
            try fixture.db.execute(
                """
                INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, context, created_at)
                VALUES (gen_random_uuid(), 'segmented', 1, 'control', 'switcher', ARRAY['i1'], ARRAY[1]::float8[], 0.5, 1, \(mobile)::jsonb, \(t)),
                       (gen_random_uuid(), 'segmented', 1, 'control', 'switcher', ARRAY['i1'], ARRAY[1]::float8[], 0.5, 1, \(desktop)::jsonb, \(t.addingTimeInterval(3600)))
                """
            )

            let json = try fixture.reportJSON("segmented", ["--segment", "device"])
            #expect(json[path: "segments", "key"] as? String == "device")
            let segments = try #require(json[path: "segments", "segments"] as? [[String: Any]])
            // Largest first: mobile 2,001 + 2,000 units, desktop 2,000, (none) 20.
            #expect(segments.map { $0["value"] as? String } == ["mobile", "desktop", "(none)"])
            #expect(segments.map { $0["units"] as? Double } == [4001, 2000, 20])
            func conversion(_ segment: [String: Any]) -> [String: Any]? {
                (segment["comparisons"] as? [[String: Any]])?.first { $0["metric"] as? String == "conversion" }
            }
            #expect(conversion(segments[0])?["controlUnits"] as? Double == 2001)
            #expect(abs((conversion(segments[0])?["treatmentMean"] as? Double ?? 0) - 0.15) < 1e-12)
            #expect(conversion(segments[1])?["controlUnits"] as? Double == 1000)

            // One family of 3 segments × 1 arm × 2 metrics = 6: Holm multiplies the smallest
            // raw (always-valid) p-value by 6.
            let all = segments.flatMap { $0["comparisons"] as? [[String: Any]] ?? [] }
            #expect(all.count == 6)
            let raw = all.compactMap { $0["sequentialPValue"] as? Double }
            let adjusted = all.compactMap { $0["adjustedPValue"] as? Double }
            let smallest = try #require(raw.min())
            #expect(abs((adjusted.min() ?? 0) - min(1, 6 * smallest)) < 1e-12)
            #expect((json[path: "segments", "warning"] as? String)?.contains("exploratory") == true)
            #expect((json[path: "segments", "warning"] as? String)?.contains("6 comparisons") == true)
            // The overall results are corrected over arms × metrics only (2 comparisons).
            let overall = try #require(json[path: "report", "comparisons"] as? [[String: Any]])
            let overallRaw = overall.compactMap { $0["sequentialPValue"] as? Double }
            #expect(abs((overall.compactMap { $0["adjustedPValue"] as? Double }.min() ?? 0) - min(1, 2 * (overallRaw.min() ?? 1))) < 1e-12)

            let table = try AbctlBinary.run(["report", "segmented", "--segment", "device"], environment: fixture.environment)
            #expect(table.standardOutput.contains("Segments by device"))
            #expect(table.standardOutput.contains("conversion by device"))
            let csv = try AbctlBinary.run(["report", "segmented", "--segment", "device", "--format", "csv"], environment: fixture.environment)
            #expect(csv.standardOutput.split(separator: "\n").filter { $0.hasPrefix("device=mobile,") }.count == 2)
        }
    }
}
