import Foundation
import PostgresClient

/// A bandit whose allocation moved while the base rate drifted, logged with SQL; the report's
/// tests (CLITests/ReportBanditTests) and the dashboard's (ServerTests) read it. Treatment converts better within each
/// allocation period, yet pooled over both it looks far worse (Simpson's paradox).
///
/// Period 1 (allocation 1, 90/10, 2026-11-20): control 4,500 of 9,000 units convert (50%),
/// treatment 550 of 1,000 (55%). Period 2 (allocation 2, 10/90, 2026-11-21): control 100 of
/// 1,000 (10%), treatment 990 of 9,000 (11%). Values from
/// scripts/stats_poststratification_reference.py ("bandit fixture"):
/// - post-stratified means 0.3 and 0.33 (period weights ½, ½); absolute lift +0.03, 95% CI
///   [0.010964, 0.049036], p = 0.0020095; relative lift +9.9638% with log-scale 95% CI
///   [3.6400%, 16.7503%]; P(beat control) = 0.998995, so the verdict is ship;
/// - pooled means 0.46 [0.450232, 0.469768] and 0.154 [0.146926, 0.161074], whose relative
///   lift would be −66.52%.
public enum BanditDriftFixture {
    public static let name = "bandit-drift"
    public static let spec = """
        name: bandit-drift
        status: running
        schedule:
          start: 2026-11-20T00:00:00Z
        arms:
          - key: control
            strategy: popularity
            control: true
          - key: treatment
            strategy: popularity
            params: {half_life_hours: 24}
        allocation:
          type: bandit
          policy: thompson
          reward: conversion
        metrics:
          primary: conversion
          attribution_window: 2h
        analysis:
          sequential: false
        """

    /// 2026-11-20 00:00 UTC: the spec's start and allocation 1's.
    public static let start = Date(timeIntervalSince1970: 1_795_132_800)

    /// Writes both allocation versions and the units of both periods into `db`, where the
    /// spec has been applied.
    public static func log(_ db: PostgresConnection) throws {
        try allocation(db, version: 1, weights: #"{"control": 0.9, "treatment": 0.1}"#, from: start)
        try allocation(db, version: 2, weights: #"{"control": 0.1, "treatment": 0.9}"#, from: start.addingTimeInterval(86_400))
        let day1 = start.addingTimeInterval(3600)
        let day2 = day1.addingTimeInterval(86_400)
        try units(db, arm: "control", prefix: "c1", count: 9000, converting: 4500, version: 1, at: day1)
        try units(db, arm: "treatment", prefix: "t1", count: 1000, converting: 550, version: 1, at: day1)
        try units(db, arm: "control", prefix: "c2", count: 1000, converting: 100, version: 2, at: day2)
        try units(db, arm: "treatment", prefix: "t2", count: 9000, converting: 990, version: 2, at: day2)
    }

    private static func allocation(_ db: PostgresConnection, version: Int64, weights: String, from: Date) throws {
        try db.execute(
            """
            INSERT INTO allocations (experiment, allocation_version, experiment_version, weights, policy, effective_from)
            VALUES (\(name), \(version), 1, \(weights)::jsonb, 'thompson', \(from))
            ON CONFLICT (experiment, allocation_version) DO UPDATE
                SET weights = EXCLUDED.weights, effective_from = EXCLUDED.effective_from, policy = EXCLUDED.policy
            """
        )
    }

    /// `count` units `prefix`-1…, one impression each at `at`, the first `converting` of them
    /// buying the top item a minute later.
    private static func units(
        _ db: PostgresConnection,
        arm: String,
        prefix: String,
        count: Int,
        converting: Int,
        version: Int64,
        at: Date
    ) throws {
        try db.execute(
            """
            INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
            SELECT md5(\(prefix) || g)::uuid, \(name), 1, \(arm), \(prefix) || '-' || g,
                   ARRAY['i1','i2','i3'], ARRAY[3,2,1]::float8[], 0.5, \(version), \(at)
            FROM generate_series(1, \(count)) g
            """
        )
        try db.execute(
            """
            INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
            SELECT 'p-' || \(prefix) || g, md5(\(prefix) || g)::uuid, \(prefix) || '-' || g, 'i1', 'purchase', 20, \(at.addingTimeInterval(60))
            FROM generate_series(1, \(converting)) g
            """
        )
    }
}
