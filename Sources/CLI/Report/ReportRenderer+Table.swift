import Foundation
import Reporting
import Stats

extension ReportRenderer {
    /// The terminal report: method, CUPED, SRM, one table per metric with notes, segments
    /// and the verdicts.
    func table() -> String {
        var lines = ["\(data.experiment) (version \(data.version)), control: \(data.controlArm)"]
        lines.append("Analysis: \(data.analysisMethod.name). \(data.analysisMethod.reason)")
        if let freshness = data.freshness { lines.append(freshness.sentence) }
        if let cuped = data.cuped { lines += cupedLines(cuped) }
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
                rows.append(
                    [summary.arm, format(summary.units, digits: 0), summary.mean.map { number($0) } ?? "–"]
                        + liftColumns(comparison, isControl: summary.arm == data.controlArm)
                )
            }
            var text = TextTable.render(header: ["arm", "units", meanLabel] + liftHeader, rows: rows)
            if colour {
                for comparison in data.report.comparisons where comparison.metric == metric && comparison.isSignificant {
                    text = text.split(separator: "\n").map { line in
                        line.hasPrefix(comparison.arm + " ") ? paint(String(line), red: !comparison.isImprovement) : String(line)
                    }.joined(separator: "\n")
                }
            }
            lines.append(text)
            for comparison in data.report.comparisons where comparison.metric == metric {
                let notes = notes(comparison)
                if !notes.isEmpty { lines.append("  \(comparison.arm): \(notes.joined(separator: " "))") }
            }
        }
        if let segments = data.segments { lines += segmentLines(segments) }
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

    /// The mean column's title: which estimator the means come from.
    var meanLabel: String { data.analysisMethod.isStratified ? "mean (post-stratified)" : "mean" }

    /// Column titles after arm, units and mean: each interval is followed by the p-value of
    /// the same test (the relative lift's fixed-horizon test, then its always-valid one).
    var liftHeader: [String] {
        ["relative lift [\(confidenceLabel) CI]", "p", "always-valid CI", "always-valid p", "P(beat control)"]
    }

    /// The lift columns of one arm's row; the control row says so.
    func liftColumns(_ comparison: MetricComparison?, isControl: Bool) -> [String] {
        guard let c = comparison else { return [isControl ? "(control)" : "–", "", "", "", ""] }
        return [
            percent(c.relativeLift.estimate) + " " + interval(c.relativeLift.interval, percent: true),
            number(c.relativePValue ?? c.pValue),
            interval(c.relativeLift.sequentialInterval, percent: true),
            number(c.relativeSequentialPValue ?? c.sequentialPValue),
            probability(c.chanceToBeatControl),
        ]
    }

    func cupedLines(_ cuped: CUPEDSummary) -> [String] {
        var lines = ["CUPED on \(cuped.covariate)" + (cuped.source.isEmpty ? "." : ": \(cuped.source).")]
        for a in cuped.adjustments {
            lines.append(
                "  \(a.metric), \(a.arm): θ = \(number(a.theta)), variance of the lift reduced by \(format(a.varianceReduction * 100, digits: 1))%."
            )
        }
        if let note = cuped.note { lines.append("  \(note)") }
        return lines
    }

    func segmentLines(_ breakdown: SegmentBreakdown) -> [String] {
        var lines = ["", "Segments by \(breakdown.key)", breakdown.warning]
        for metric in orderedMetrics {
            var rows: [[String]] = []
            for segment in breakdown.segments {
                for c in segment.comparisons where c.metric == metric {
                    rows.append([segment.value, c.arm, format(c.controlUnits + c.treatmentUnits, digits: 0)] + liftColumns(c, isControl: false))
                }
            }
            guard !rows.isEmpty else { continue }
            lines += ["", "\(metric) by \(breakdown.key)", TextTable.render(header: [breakdown.key, "arm", "units"] + liftHeader, rows: rows)]
        }
        return lines
    }
}
