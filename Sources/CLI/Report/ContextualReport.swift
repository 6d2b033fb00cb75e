import Foundation
import PostgresClient
import Spec
import Stats
import Storage

/// `abctl report` for a contextual bandit experiment: each arm's value (the mean reward of
/// always serving it) by inverse-propensity weighting over every decision the policy made,
/// Horvitz–Thompson and self-normalised, with 95% intervals (docs/statistics.md). The
/// fixed-weight analysis does not apply: the policy split the traffic by context, not by weights.
enum ContextualReport {
    /// Reports `command`'s experiment when it is contextual; returns false for any other.
    static func run(_ command: ReportCommand, connection: PostgresConnection) throws -> Bool {
        guard let stored = try ExperimentStore(connection: connection).version(command.name),
            let spec = try? ExperimentSpec(canonicalJSON: stored.specJSON),
            let bandit = spec.allocation.bandit, bandit.policy.isContextual
        else { return false }
        let since = command.since.flatMap(ReportCommand.parseTime) ?? Date(timeIntervalSince1970: 0)
        let until = command.until.flatMap(ReportCommand.parseTime) ?? Date()
        let decisions = try ContextualDecisionLog.read(command.name, spec: spec, since: since, until: until, on: connection)
        let log = decisions.map { (arm: $0.arm, reward: $0.reward, propensity: $0.propensity) }
        var rows: [[String: Any]] = []
        for arm in spec.arms.map(\.key) {
            for kind in InverseProbabilityWeightedMean.Kind.allCases {
                var row: [String: Any] = ["arm": arm, "estimator": kind.rawValue, "decisions": log.count]
                if let estimate = InverseProbabilityWeightedMean.estimate(arm: arm, decisions: log, kind: kind) {
                    let interval = estimate.interval()
                    row["served"] = estimate.served
                    row["value"] = estimate.value
                    row["standard_error"] = estimate.standardError
                    row["ci_lower"] = interval.lower
                    row["ci_upper"] = interval.upper
                } else {
                    row["served"] = 0
                }
                rows.append(row)
            }
        }
        let text: String
        switch command.format {
        case .json:
            let document: [String: Any] = [
                "experiment": command.name, "policy": bandit.policy.rawValue, "reward": bandit.reward.description,
                "analysis": "inverse-propensity weighting", "arms": rows,
            ]
            text = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
        default:
            var lines = [
                "\(command.name): contextual policy \(bandit.policy.rawValue), reward \(bandit.reward), \(log.count) decisions",
                "Each arm's value (mean reward of always serving it) by inverse-propensity weighting over every decision, 95% intervals.",
                "arm            estimator          served   value     95% interval",
            ]
            for row in rows {
                let arm = (row["arm"] as? String ?? "").padding(toLength: 15, withPad: " ", startingAt: 0)
                let kind = (row["estimator"] as? String ?? "").padding(toLength: 19, withPad: " ", startingAt: 0)
                let served = String(row["served"] as? Int ?? 0).padding(toLength: 9, withPad: " ", startingAt: 0)
                if let value = row["value"] as? Double, let lower = row["ci_lower"] as? Double, let upper = row["ci_upper"] as? Double {
                    lines.append(arm + kind + served + String(format: "%-9.4f [%.4f, %.4f]", value, lower, upper))
                } else {
                    lines.append(arm + kind + served + "no decision served this arm")
                }
            }
            text = lines.joined(separator: "\n")
        }
        if let output = command.output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            print("report written to \(output)")
        } else {
            print(text)
        }
        return true
    }
}
