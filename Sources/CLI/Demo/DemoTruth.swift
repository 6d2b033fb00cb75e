import Foundation

/// What the simulator knows and the experiment does not: each arm's true expected clicks per
/// list, from the simulated users' own click model, kept per phase of the demo (before and
/// after the drift's flip; without a drift every list is "before").
struct DemoTruth {
    /// One arm's lists in one phase.
    struct Arm {
        var impressions = 0
        var expectedClicks = 0.0
        var meanClicks: Double { impressions == 0 ? 0 : expectedClicks / Double(impressions) }
    }

    /// When the drift takes effect, nil without one.
    let flip: Date?
    private(set) var beforeFlip: [String: Arm] = [:]
    private(set) var afterFlip: [String: Arm] = [:]

    init(flip: Date?) {
        self.flip = flip
    }

    /// Counts one list shown by `arm` at `time` with `expectedClicks` by the click model.
    mutating func record(arm: String, at time: Date, expectedClicks: Double) {
        if let flip, time >= flip {
            afterFlip[arm, default: Arm()].impressions += 1
            afterFlip[arm, default: Arm()].expectedClicks += expectedClicks
        } else {
            beforeFlip[arm, default: Arm()].impressions += 1
            beforeFlip[arm, default: Arm()].expectedClicks += expectedClicks
        }
    }

    /// The arm with the most expected clicks per list in `phase`, nil without lists.
    static func best(_ phase: [String: Arm]) -> String? {
        phase.max { ($0.value.meanClicks, $1.key) < ($1.value.meanClicks, $0.key) }?.key
    }
}
