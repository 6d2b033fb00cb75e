import Foundation
import Metrics

/// What `abctl ope` prints: where the logs came from, the actions, and each estimate with its
/// interval, effective sample size and warnings, as a table or JSON.
struct OPEReport {
    var source: String
    var decisions: Int
    var actions: [String]
    var features: [String]
    /// The reward model DM and DR used; with `.perActionMean` no feature is used.
    var rewardModel: RewardModelKind
    var interval: StreamingIntervalMethod
    var confidence: Double
    var estimates: [OffPolicyEstimate]

    func table() -> String {
        var lines = [
            "off-policy evaluation of \(source)",
            "\(decisions) logged decisions, \(actions.count) actions (\(Self.sample(actions)))",
            modelLine,
            "intervals: \(Self.percent(confidence)) \(interval)",
            "",
        ]
        let rows = estimates.map { estimate in
            [
                estimate.estimator.description, Self.number(estimate.value),
                "[\(Self.number(estimate.interval.lowerBound)), \(Self.number(estimate.interval.upperBound))]",
                String(format: "%.1f", estimate.effectiveSampleSize),
            ]
        }
        let header = ["estimator", "value", "interval", "ESS"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        let warnings = groupedWarnings()
        if !warnings.isEmpty {
            lines.append("")
            lines.append("warnings:")
            for (text, names) in warnings { lines.append("- \(text) [\(names.joined(separator: ", "))]") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The reward model of DM and DR and the features it uses: a long list is cut to its first
    /// twelve names (JSON carries them all), and a per-action mean names none, since it uses none.
    var modelLine: String {
        switch rewardModel {
        case .ridge(let lambda):
            "reward model (DM, DR): ridge, λ \(Self.number(lambda)), on \(features.count) features (\(Self.sample(features)))"
        case .perActionMean:
            "reward model (DM, DR): mean reward per action"
                + (features.isEmpty ? "" : "; the \(features.count) features are not used")
        }
    }

    /// The first twelve names, then an ellipsis when there are more.
    static func sample(_ names: [String]) -> String {
        names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
    }

    /// Each distinct warning once, with the estimators it applies to, in first-seen order.
    func groupedWarnings() -> [(String, [String])] {
        var order: [String] = []
        var names: [String: [String]] = [:]
        for estimate in estimates {
            for warning in estimate.warnings {
                let text = describe(warning)
                if names[text] == nil { order.append(text) }
                names[text, default: []].append(estimate.estimator.description)
            }
        }
        return order.map { ($0, names[$0] ?? []) }
    }

    /// A warning's sentence, with action labels instead of indices.
    func describe(_ warning: OffPolicyWarning) -> String {
        guard case .unloggedActions(let indices, _) = warning else { return warning.description }
        let numbers = "(" + indices.map(String.init).joined(separator: ", ") + ")"
        let labels = "(" + indices.map { actions.indices.contains($0) ? actions[$0] : String($0) }.joined(separator: ", ") + ")"
        return warning.description.replacingOccurrences(of: numbers, with: labels)
    }

    func json() -> String {
        struct Estimate: Encodable {
            var estimator: String
            var value: Double
            var lower: Double
            var upper: Double
            var effectiveSampleSize: Double
            var warnings: [String]
        }
        struct Body: Encodable {
            var source: String
            var decisions: Int
            var actions: [String]
            var features: [String]
            var rewardModel: String
            var interval: String
            var confidence: Double
            var estimates: [Estimate]
        }
        let body = Body(
            source: source,
            decisions: decisions,
            actions: actions,
            features: features,
            rewardModel: { () -> String in
                if case .ridge = rewardModel { return "ridge" }
                return "mean"
            }(),
            interval: interval.description,
            confidence: confidence,
            estimates: estimates.map {
                Estimate(
                    estimator: $0.estimator.description,
                    value: $0.value,
                    lower: $0.interval.lowerBound,
                    upper: $0.interval.upperBound,
                    effectiveSampleSize: $0.effectiveSampleSize,
                    warnings: $0.warnings.map(describe)
                )
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.6g", value) }
    static func percent(_ share: Double) -> String { "\(String(format: "%g", share * 100))%" }
}
