import Foundation

/// Compares what the bandit did with what the simulator knows: the arm whose lists truly
/// earn the most expected clicks is the planted best, and it should end with most traffic.
/// With a drift, the truth is kept per phase: the best arm before the flip should hold the
/// most traffic at the flip, and the best arm after it the most traffic at the end.
struct DemoVerdict {
    let truth: DemoTruth
    let periods: [DemoTraffic.Period]

    /// The truly best arm before the flip (over all traffic without a drift), nil without traffic.
    var bestArm: String? { DemoTruth.best(truth.beforeFlip) }

    /// The truly best arm after the flip, nil without a drift or without traffic after it.
    var bestAfterFlip: String? { DemoTruth.best(truth.afterFlip) }

    /// The arm with the largest weight after the last reallocation.
    var favouredArm: String? { periods.last.flatMap(Self.favoured) }

    /// The arm with the largest weight in force at the flip: after the last reallocation
    /// made from data up to the flip.
    var favouredAtFlip: String? {
        guard let flip = truth.flip else { return nil }
        return periods.last { $0.end <= flip }.flatMap(Self.favoured)
    }

    static func favoured(_ period: DemoTraffic.Period) -> String? {
        period.weights.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    var text: String {
        guard let flip = truth.flip else {
            return
                (table(
                    "The simulator's truth (expected clicks per list of 10, from each user's click model):",
                    truth.beforeFlip,
                    periods.last,
                    "final weight"
                )
                + [plainVerdict].compactMap { $0 }).joined(separator: "\n")
        }
        let atFlip = periods.last { $0.end <= flip }
        let time = SimulatedCSV.iso8601(flip).dropLast(4)
        var lines = table(
            "The simulator's truth before the drift's flip at \(time) (expected clicks per list of 10):",
            truth.beforeFlip,
            atFlip,
            "weight at the flip"
        )
        lines += table("After the flip:", truth.afterFlip, periods.last, "final weight")
        lines.append(contentsOf: [driftVerdict].compactMap { $0 })
        return lines.joined(separator: "\n")
    }

    private func table(_ title: String, _ phase: [String: DemoTruth.Arm], _ period: DemoTraffic.Period?, _ label: String) -> [String] {
        var lines = [title]
        for (arm, value) in phase.sorted(by: { ($0.value.meanClicks, $1.key) > ($1.value.meanClicks, $0.key) }) {
            let share = period?.weights[arm].map { String(format: "%.0f%%", $0 * 100) } ?? "?"
            lines.append(
                "  \(arm.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.4f", value.meanClicks))   \(value.impressions) lists, \(label) \(share)"
            )
        }
        return lines
    }

    private var plainVerdict: String? {
        guard let best = bestArm, let favoured = favouredArm else { return nil }
        return best == favoured
            ? "✓ The planted best arm, \(best), holds the most traffic after the last reallocation."
            : "✗ The bandit favours \(favoured), but \(best) is truly best; more hours of traffic (--hours) give it more evidence."
    }

    private var driftVerdict: String? {
        guard let before = bestArm, let after = bestAfterFlip, let atFlip = favouredAtFlip, let atEnd = favouredArm else { return nil }
        let first =
            atFlip == before
            ? "Before the flip \(before) was best and held the most traffic at the flip"
            : "Before the flip \(before) was best, but the bandit favoured \(atFlip) at the flip"
        guard before != after else {
            return "✗ \(first); the drift did not change the best arm (\(after) after it too), so there was nothing to follow."
        }
        let second =
            atEnd == after
            ? "after it \(after) became best and holds the most traffic after the last reallocation"
            : "after it \(after) became best, but the bandit still favours \(atEnd); more hours after the flip (--hours) give it more evidence"
        let followed = atFlip == before && atEnd == after
        return followed ? "✓ \(first); \(second): the weights followed the drift." : "✗ \(first); \(second)."
    }
}
