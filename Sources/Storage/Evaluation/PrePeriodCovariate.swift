import Foundation

/// CUPED's pre-period covariate as the spec names it (`analysis.cuped`), turned into what
/// the SQL computes: each unit's value over [since, until) from the interactions table.
///
/// - `pre_period_metric`: each metric's own pre-period value (conversion: any purchase;
///   revenue_per_unit: Σ purchase values);
/// - `pre_period_revenue`: Σ purchase values, for every adjustable metric;
/// - `pre_period_<event>s` (pre_period_purchases, pre_period_clicks,
///   pre_period_add_to_carts): the count of that event type, for every adjustable metric.
public struct PrePeriodCovariate: Sendable, Equatable {
    /// How the unit's pre-period interactions become one number.
    public enum Measure: String, Sendable {
        /// The metric's own definition.
        case metric
        /// Count of events of `eventType`.
        case count
        /// Σ value of purchases.
        case revenue
    }

    /// The name as written in the spec.
    public var name: String
    public var measure: Measure
    /// The counted event type when `measure` is `.count`.
    public var eventType: String?
    /// The pre-period: [since, until), until being the experiment's start.
    public var since: Date
    public var until: Date

    /// Reads a spec covariate name; `start` is the experiment's start and `lookback` the
    /// length of the pre-period in seconds.
    public init(named name: String, start: Date, lookback: TimeInterval) throws(StorageError) {
        let prefix = "pre_period_"
        guard name.hasPrefix(prefix), name.count > prefix.count else {
            throw StorageError(
                "The CUPED covariate \"\(name)\" is not one abctl can compute",
                advice: "Use pre_period_metric, pre_period_revenue or pre_period_<event>s such as pre_period_purchases"
            )
        }
        let rest = String(name.dropFirst(prefix.count))
        self.name = name
        self.since = start.addingTimeInterval(-lookback)
        self.until = start
        switch rest {
        case "metric":
            measure = .metric
        case "revenue":
            measure = .revenue
        default:
            measure = .count
            eventType = rest.hasSuffix("s") ? String(rest.dropLast()) : rest
        }
    }

    /// Where the values come from, in a sentence for the report.
    public var sourceDescription: String {
        let what: String
        switch measure {
        case .metric: what = "each metric's own value"
        case .revenue: what = "purchase revenue"
        case .count: what = "the count of \(eventType ?? "") events"
        }
        return "\(what) per unit from the interactions table over [\(since.formatted(.iso8601)), \(until.formatted(.iso8601)))"
    }
}
