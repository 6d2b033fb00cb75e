import Foundation
import Sim

/// The preference drift of `abctl demo --drift`: halfway through the traffic a strong trend
/// toward one category (cluster 0) starts and users keep only a third of their old tastes.
/// Lists built from old tastes (item-kNN, ALS) lose most of their edge; the trending
/// popularity arm, fed online by the clicks, moves to the trending category and wins.
enum DemoDrift {
    /// The logit added to the trending category's items after the flip.
    static let appealShift = 3.0
    /// The share of each user's old taste that survives the flip.
    static let tasteRetention = 1.0 / 3

    /// The drift for traffic of `hours` hours from `trafficStart`: the flip at half-time.
    static func drift(trafficStart: Date, hours: Int) -> Drift {
        Drift(
            time: trafficStart.addingTimeInterval(Double(hours) * 1800),
            cluster: 0,
            appealShift: appealShift,
            tasteRetention: tasteRetention
        )
    }

    /// The bandit's window in hours: a quarter of the traffic, at least two update intervals
    /// (so one noisy hour does not swing the weights), so that from 6 hours of traffic on the
    /// last update's window holds only traffic after the flip.
    static func window(hours: Int) -> Int { max(2, hours / 4) }
}
