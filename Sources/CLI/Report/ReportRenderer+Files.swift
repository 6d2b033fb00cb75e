import Foundation
import Reporting
import Stats

extension ReportRenderer {
    /// One row per comparison (overall, then per segment); empty fields for values that do
    /// not exist, never NaN. Each relative interval is followed by the p-value of its own test;
    /// p_value and sequential_p_value are the absolute lift's.
    func csv() -> String {
        var lines = [
            [
                "segment", "metric", "arm", "control", "method", "control_units", "treatment_units", "control_mean", "treatment_mean",
                "absolute_lift", "relative_lift", "relative_lower", "relative_upper", "relative_p_value", "relative_always_valid_lower",
                "relative_always_valid_upper", "relative_always_valid_p_value", "p_value", "sequential_p_value", "adjusted_p_value",
                "chance_to_beat_control",
                "expected_loss", "cuped_theta", "guardrail", "power", "units_still_needed_per_arm", "significant",
            ].joined(separator: ",")
        ]
        var rows = data.report.comparisons.map { ("", $0) }
        for segment in data.segments?.segments ?? [] {
            rows += segment.comparisons.map { ("\(data.segments?.key ?? "")=\(segment.value)", $0) }
        }
        for (segment, c) in rows {
            let fields: [String] = [
                segment, c.metric, c.arm, c.control, c.testMethod, csvNumber(c.controlUnits), csvNumber(c.treatmentUnits),
                csvNumber(c.controlMean), csvNumber(c.treatmentMean), csvNumber(c.absoluteLift.estimate), csvNumber(c.relativeLift.estimate),
                csvNumber(c.relativeLift.interval.lower), csvNumber(c.relativeLift.interval.upper), csvNumber(c.relativePValue ?? c.pValue),
                csvNumber(c.relativeLift.sequentialInterval.lower), csvNumber(c.relativeLift.sequentialInterval.upper),
                csvNumber(c.relativeSequentialPValue ?? c.sequentialPValue),
                csvNumber(c.pValue), csvNumber(c.sequentialPValue), csvNumber(c.adjustedPValue), csvNumber(c.chanceToBeatControl),
                csvNumber(c.expectedLoss), csvNumber(c.cupedTheta), c.guardrailStatus?.rawValue ?? "", csvNumber(c.power),
                csvNumber(c.unitsStillNeededPerArm), "\(c.isSignificant)",
            ]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    func markdown() -> String {
        var lines = [
            "# \(data.experiment) (version \(data.version))", "", "Analysis: **\(data.analysisMethod.name)**. \(data.analysisMethod.reason)", "",
        ]
        if let freshness = data.freshness { lines += [freshness.sentence, ""] }
        if let cuped = data.cuped { lines += cupedLines(cuped) + [""] }
        for metric in orderedMetrics {
            lines += [
                "## \(metric)", "",
                "| " + (["arm", "units", meanLabel] + liftHeader).joined(separator: " | ") + " |",
                "|---|---:|---:|---|---:|---|---:|---:|",
            ]
            for summary in data.armSummaries[metric] ?? [] {
                let c = data.report.comparisons.first { $0.metric == metric && $0.arm == summary.arm }
                let cells =
                    [summary.arm, format(summary.units, digits: 0), summary.mean.map { number($0) } ?? "–"]
                    + liftColumns(c, isControl: summary.arm == data.controlArm)
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            lines.append("")
            for c in data.report.comparisons where c.metric == metric && !notes(c).isEmpty {
                lines.append("- \(c.arm): \(notes(c).joined(separator: " "))")
            }
            lines.append("")
        }
        if let segments = data.segments {
            lines += ["## Segments by \(segments.key)", "", "> \(segments.warning)", ""]
            lines += [
                "| " + ([segments.key, "metric", "arm", "units"] + liftHeader).joined(separator: " | ") + " |",
                "|---|---|---|---:|---|---:|---|---:|---:|",
            ]
            for segment in segments.segments {
                for c in segment.comparisons {
                    let cells =
                        [segment.value, c.metric, c.arm, format(c.controlUnits + c.treatmentUnits, digits: 0)] + liftColumns(c, isControl: false)
                    lines.append("| " + cells.joined(separator: " | ") + " |")
                }
            }
            lines.append("")
        }
        lines.append("## Verdicts")
        lines.append("")
        for verdict in data.report.verdicts {
            lines.append("- **\(verdict.arm)**: \(verdict.decision.rawValue). \(verdict.reasons.joined(separator: " "))")
        }
        return lines.joined(separator: "\n")
    }

    /// A number for CSV: full precision, empty when absent or not finite.
    func csvNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return "\(value)"
    }

    func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") || text.contains("\n")
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
