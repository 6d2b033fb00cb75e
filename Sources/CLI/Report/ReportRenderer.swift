import Foundation
import Reporting
import Stats

/// Renders an experiment report as a terminal table, JSON, CSV or Markdown; the number
/// formats here never print NaN or infinity (a missing value is "–" or empty).
struct ReportRenderer {
    var data: ExperimentReportData
    /// ANSI colours for significant wins (green) and losses (red); off when not a terminal.
    var colour: Bool

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(data), as: UTF8.self)
    }

    /// Metrics in spec order (primary first), as the report lists them.
    var orderedMetrics: [String] { data.metrics }

    /// The intervals' confidence level as a percentage, e.g. 95% (the spec's 1 − alpha).
    var confidenceLabel: String { "\(Int((data.confidenceLevel * 100).rounded()))%" }

    /// One sentence per fact about a comparison worth a line under the table: guardrail
    /// status, power and units still needed, degenerate-data messages.
    func notes(_ c: MetricComparison) -> [String] {
        var notes: [String] = []
        if let status = c.guardrailStatus {
            switch status {
            case .passed: notes.append("guardrail passed: the interval rules out a degradation beyond tolerance.")
            case .atRisk: notes.append("guardrail at risk: the interval crosses the allowed degradation.")
            case .breached: notes.append("guardrail breached: degraded beyond its tolerance.")
            }
        }
        if !c.isSignificant, let power = c.power, power.isFinite {
            var sentence = "power \(Int((power * 100).rounded()))% for a 5% relative lift"
            if let needed = c.unitsStillNeededPerArm, needed > 0 { sentence += ", about \(format(needed, digits: 0)) more units per arm needed" }
            notes.append(sentence + ".")
        }
        if let adjusted = c.adjustedPValue {
            let kind = c.usesSequentialPValue ? "always-valid" : "fixed-horizon"
            notes.append("decisions use the \(kind) p-value of the absolute lift adjusted across arms × metrics: \(number(adjusted)).")
        }
        notes += c.messages
        return notes
    }

    func paint(_ text: String, red: Bool) -> String {
        colour ? "\u{1B}[\(red ? "31" : "32")m\(text)\u{1B}[0m" : text
    }

    func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value != 0 && abs(value) < 0.001 { return String(format: "%.2e", value) }
        return String(format: "%.4f", value)
    }

    /// A probability as a percentage, without the sign a lift gets.
    func probability(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2f%%", value * 100) : "–"
    }

    func percent(_ value: Double) -> String {
        value.isFinite ? String(format: "%+.2f%%", value * 100).replacingOccurrences(of: "+-", with: "-") : "–"
    }

    func interval(_ interval: Interval, percent asPercent: Bool) -> String {
        func bound(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "∞" }
            return asPercent ? String(format: "%.2f%%", value * 100) : number(value)
        }
        return "[\(bound(interval.lower)), \(bound(interval.upper))]"
    }

    func format(_ value: Double, digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "–"
    }
}
