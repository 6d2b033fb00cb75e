extension CalibrationScenario {
    /// The schedule of the A/A runs in issue 17: treatment 50 %, then 80 %, then 95 % (the
    /// control starved at the 5 % floor) for the rest.
    public static let starvedControl: Schedule = .fixed([0.5, 0.8, 0.95])

    /// The scenarios of docs/statistics.md's calibration table: A/A and A/B, 1 to 20
    /// periods, bandit schedules with a 5 % floor (fixed and outcome-driven), base rates
    /// drifting down, cells without conversions, proportions, ratios (CTR, NDCG) and a
    /// heavy-tailed mean (revenue). `scale` multiplies the units per period.
    public static func catalog(scale: Double = 1) -> [CalibrationScenario] {
        func units(_ n: Int) -> Int { max(20, Int((Double(n) * scale).rounded())) }
        return [
            CalibrationScenario(
                name: "A/A conversion 5%, 1 period, 50/50",
                outcome: .conversion(baseRate: 0.05),
                periods: 1,
                unitsPerPeriod: units(4000),
                schedule: .fixed([0.5])
            ),
            CalibrationScenario(
                name: "A/A conversion 5%, 6 periods, control starved to 5%, drift to 0.4",
                outcome: .conversion(baseRate: 0.05),
                periods: 6,
                unitsPerPeriod: units(1500),
                schedule: starvedControl,
                finalDrift: 0.4
            ),
            CalibrationScenario(
                name: "A/A conversion 1%, 20 periods, Thompson floor 5%, drift to 0.5",
                outcome: .conversion(baseRate: 0.01),
                periods: 20,
                unitsPerPeriod: units(800),
                schedule: .thompson(floor: 0.05),
                finalDrift: 0.5
            ),
            CalibrationScenario(
                name: "A/B conversion 5% +10%, 20 periods, Thompson floor 5%, drift to 0.5",
                outcome: .conversion(baseRate: 0.05),
                periods: 20,
                unitsPerPeriod: units(1000),
                schedule: .thompson(floor: 0.05),
                finalDrift: 0.5,
                relativeEffect: 0.10
            ),
            CalibrationScenario(
                name: "A/A ctr 4%, 12 periods, Thompson floor 5%, drift to 0.5",
                outcome: .ctr(clickRate: 0.04),
                periods: 12,
                unitsPerPeriod: units(1000),
                schedule: .thompson(floor: 0.05),
                finalDrift: 0.5
            ),
            CalibrationScenario(
                name: "A/B ctr 4% +10%, 6 periods, control starved to 5%, drift to 0.4",
                outcome: .ctr(clickRate: 0.04),
                periods: 6,
                unitsPerPeriod: units(2000),
                schedule: starvedControl,
                finalDrift: 0.4,
                relativeEffect: 0.10
            ),
            CalibrationScenario(
                name: "A/A ndcg@10 10%, 12 periods, Thompson floor 5%, drift to 0.5",
                outcome: .ndcg(relevantRate: 0.10),
                periods: 12,
                unitsPerPeriod: units(800),
                schedule: .thompson(floor: 0.05),
                finalDrift: 0.5
            ),
            CalibrationScenario(
                name: "A/B ndcg@10 10% +8%, 20 periods, Thompson floor 5%, drift to 0.5",
                outcome: .ndcg(relevantRate: 0.10),
                periods: 20,
                unitsPerPeriod: units(600),
                schedule: .thompson(floor: 0.05),
                finalDrift: 0.5,
                relativeEffect: 0.08
            ),
            CalibrationScenario(
                name: "A/A revenue (5% buy, log-normal), 10 periods, Thompson floor 5%, drift to 0.5",
                outcome: .revenue(purchaseRate: 0.05),
                periods: 10,
                unitsPerPeriod: units(2000),
                schedule: .thompson(floor: 0.05),
                finalDrift: 0.5
            ),
            CalibrationScenario(
                name: "A/B revenue (5% buy, log-normal) +10%, 6 periods, control starved to 5%",
                outcome: .revenue(purchaseRate: 0.05),
                periods: 6,
                unitsPerPeriod: units(3000),
                schedule: starvedControl,
                finalDrift: 0.6,
                relativeEffect: 0.10
            ),
        ]
    }
}
