import Foundation

/// Compares what the bandit did with what the simulator knows: the arm whose lists truly
/// earn the most expected clicks is the planted best, and it should end with most traffic.
struct DemoVerdict {
    let truth: [String: DemoTraffic.Truth]
    let periods: [DemoTraffic.Period]

    /// The truly best arm, nil without traffic.
    var bestArm: String? { truth.max { ($0.value.meanClicks, $1.key) < ($1.value.meanClicks, $0.key) }?.key }

    /// The arm with the largest weight after the last reallocation.
    var favouredArm: String? { periods.last?.weights.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key }

    var text: String {
        var lines = ["The simulator's truth (expected clicks per list of 10, from each user's click model):"]
        for (arm, value) in truth.sorted(by: { $0.value.meanClicks > $1.value.meanClicks }) {
            let share = periods.last?.weights[arm].map { String(format: "%.0f%%", $0 * 100) } ?? "?"
            lines.append(
                "  \(arm.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.4f", value.meanClicks))   \(value.impressions) lists, final weight \(share)"
            )
        }
        if let best = bestArm, let favoured = favouredArm {
            lines.append(
                best == favoured
                    ? "✓ The planted best arm, \(best), holds the most traffic after the last reallocation."
                    : "✗ The bandit favours \(favoured), but \(best) is truly best; more hours of traffic (--hours) give it more evidence."
            )
        }
        return lines.joined(separator: "\n")
    }
}
