import Foundation
import Stats

/// Renders an experiment report as a terminal table, JSON, CSV or Markdown.
struct ReportRenderer {
    var data: ExperimentReportData
    /// ANSI colours for significant wins (green) and losses (red); off when not a terminal.
    var colour: Bool

    func table() -> String {
        var lines = ["\(data.experiment) (version \(data.version)), control: \(data.controlArm)"]
        if let srm = data.report.sampleRatioMismatch {
            lines.append(
                srm.isMismatch
                    ? paint(
                        "Sample ratio mismatch: p = \(number(srm.pValue)) — traffic does not match the allocation; results are suspect.",
                        red: true
                    )
                    : "Sample ratio: consistent with the allocations in force (p = \(number(srm.pValue)))."
            )
        }
        for metric in orderedMetrics {
            lines.append("")
            lines.append(metric)
            var rows: [[String]] = []
            for summary in data.armSummaries[metric] ?? [] {
                let comparison = data.report.comparisons.first { $0.metric == metric && $0.arm == summary.arm }
                var row = [summary.arm, format(summary.units, digits: 0), summary.mean.map { number($0) } ?? "–"]
                if let comparison {
                    row += [
                        percent(comparison.relativeLift.estimate) + " " + interval(comparison.relativeLift.interval, percent: true),
                        number(comparison.decisionPValue),
                        percent(comparison.chanceToBeatControl),
                    ]
                } else {
                    row += [summary.arm == data.controlArm ? "(control)" : "–", "", ""]
                }
                rows.append(row)
            }
            var text = TextTable.render(header: ["arm", "units", "mean", "relative lift [95% CI]", "p", "P(beat control)"], rows: rows)
            if colour {
                for comparison in data.report.comparisons where comparison.metric == metric && comparison.isSignificant {
                    text = text.split(separator: "\n").map { line in
                        line.hasPrefix(comparison.arm + " ") ? paint(String(line), red: !comparison.isImprovement) : String(line)
                    }.joined(separator: "\n")
                }
            }
            lines.append(text)
            for comparison in data.report.comparisons where comparison.metric == metric && !comparison.messages.isEmpty {
                lines.append("  \(comparison.arm): \(comparison.messages.joined(separator: " "))")
            }
        }
        lines.append("")
        lines.append("Verdicts")
        for verdict in data.report.verdicts {
            let word: String
            switch verdict.decision {
            case .ship: word = paint("ship", red: false)
            case .stopForHarm: word = paint("stop for harm", red: true)
            case .keepRunning:
                word = "keep running" + (verdict.unitsStillNeededPerArm.map { " (about \(format($0, digits: 0)) more units per arm)" } ?? "")
            case .checkAssignment: word = paint("check assignment", red: true)
            }
            lines.append("  \(verdict.arm): \(word). \(verdict.reasons.joined(separator: " "))")
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(data), as: UTF8.self)
    }

    func csv() -> String {
        var lines = [
            "metric,arm,control,control_units,treatment_units,control_mean,treatment_mean,absolute_lift,relative_lift,relative_lower,relative_upper,p_value,sequential_p_value,adjusted_p_value,chance_to_beat_control,expected_loss,significant"
        ]
        for c in data.report.comparisons {
            let fields: [String] = [
                c.metric, c.arm, c.control, "\(c.controlUnits)", "\(c.treatmentUnits)", "\(c.controlMean)", "\(c.treatmentMean)",
                "\(c.absoluteLift.estimate)", "\(c.relativeLift.estimate)", c.relativeLift.interval.lower.map { "\($0)" } ?? "",
                c.relativeLift.interval.upper.map { "\($0)" } ?? "", "\(c.pValue)", "\(c.sequentialPValue)",
                c.adjustedPValue.map { "\($0)" } ?? "", "\(c.chanceToBeatControl)", "\(c.expectedLoss)", "\(c.isSignificant)",
            ]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    func markdown() -> String {
        var lines = ["# \(data.experiment) (version \(data.version))", ""]
        for metric in orderedMetrics {
            lines += [
                "## \(metric)", "", "| arm | units | mean | relative lift | 95% CI | p | P(beat control) |", "|---|---:|---:|---:|---|---:|---:|",
            ]
            for summary in data.armSummaries[metric] ?? [] {
                let c = data.report.comparisons.first { $0.metric == metric && $0.arm == summary.arm }
                lines.append(
                    "| \(summary.arm) | \(format(summary.units, digits: 0)) | \(summary.mean.map { number($0) } ?? "–") | "
                        + "\(c.map { percent($0.relativeLift.estimate) } ?? "control") | \(c.map { interval($0.relativeLift.interval, percent: true) } ?? "") | "
                        + "\(c.map { number($0.decisionPValue) } ?? "") | \(c.map { percent($0.chanceToBeatControl) } ?? "") |"
                )
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

    /// Metrics in spec order (primary first), as the report lists them.
    var orderedMetrics: [String] {
        var seen = Set<String>()
        let fromComparisons = data.report.comparisons.map(\.metric).filter { seen.insert($0).inserted }
        let rest = data.armSummaries.keys.sorted().filter { !seen.contains($0) }
        return fromComparisons + rest
    }

    func paint(_ text: String, red: Bool) -> String {
        colour ? "\u{1B}[\(red ? "31" : "32")m\(text)\u{1B}[0m" : text
    }

    func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value != 0 && abs(value) < 0.001 { return String(format: "%.2e", value) }
        return String(format: "%.4f", value)
    }

    func percent(_ value: Double) -> String {
        value.isFinite ? String(format: "%+.2f%%", value * 100).replacingOccurrences(of: "+-", with: "-") : "–"
    }

    func interval(_ interval: Interval, percent asPercent: Bool) -> String {
        func bound(_ value: Double?) -> String {
            guard let value else { return "∞" }
            return asPercent ? String(format: "%.2f%%", value * 100) : number(value)
        }
        return "[\(bound(interval.lower)), \(bound(interval.upper))]"
    }

    func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
