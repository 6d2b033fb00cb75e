import Foundation
import Stats
import Storage

/// One point of the cumulative-lift chart: the lift of an arm over control over the units
/// that entered by the end of `day`, with its fixed and always-valid intervals.
public struct CumulativeLiftPoint: Codable, Sendable {
    public var metric: String
    public var arm: String
    /// UTC midnight of the day.
    public var day: Date
    public var units: Double
    /// Relative lift (treatment − control) / control.
    public var estimate: Double
    public var interval: Interval
    /// The confidence sequence: valid however many days are looked at.
    public var alwaysValidInterval: Interval
}

/// Cumulative lift per day, computed as the report computes its lifts (pooled or
/// post-stratified) on the cohorts of units that entered up to each day.
enum CumulativeLift {
    /// Points for every metric, treatment arm and day where the lift could be computed.
    static func compute(cells: [String: [ReportCell]], analysis: ReportAnalysis) -> [CumulativeLiftPoint] {
        let days = Set(cells.values.flatMap { $0.map(\.day) }).sorted()
        var points: [CumulativeLiftPoint] = []
        for day in days {
            let upTo = cells.mapValues { $0.filter { $0.day <= day } }
            for c in analysis.comparisons(upTo) where isDrawable(c) {
                points.append(
                    CumulativeLiftPoint(
                        metric: c.metric,
                        arm: c.arm,
                        day: day,
                        units: c.controlUnits + c.treatmentUnits,
                        estimate: c.relativeLift.estimate,
                        interval: c.relativeLift.interval,
                        alwaysValidInterval: c.relativeLift.sequentialInterval
                    )
                )
            }
        }
        return points
    }

    /// A comparison that could not run has a zero-width interval at 0: nothing to draw.
    private static func isDrawable(_ c: MetricComparison) -> Bool {
        let i = c.relativeLift.interval
        return c.relativeLift.estimate.isFinite && !(i.lower == 0 && i.upper == 0)
    }
}
