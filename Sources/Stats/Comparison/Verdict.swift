import Foundation

/// What to do with one arm.
public enum VerdictDecision: String, Sendable, Hashable, Codable {
    /// A significant win on the primary metric and no guardrail breached.
    case ship
    /// A significant loss on the primary metric or a guardrail breached.
    case stopForHarm
    /// Not enough evidence yet.
    case keepRunning
    /// The assignment is broken (sample ratio mismatch): results cannot be trusted.
    case checkAssignment
}

/// The decision for one arm, with the reasons a report prints.
public struct Verdict: Sendable, Hashable, Codable {
    /// The treatment arm's key.
    public var arm: String
    /// What to do.
    public var decision: VerdictDecision
    /// One sentence per fact that led to the decision.
    public var reasons: [String]
    /// Units per arm still needed for the primary metric's minimum detectable effect.
    public var unitsStillNeededPerArm: Double?

    /// Decides from the primary comparison, the guardrail comparisons and the SRM check.
    public static func decide(
        primary: MetricComparison,
        guardrails: [MetricComparison] = [],
        sampleRatioMismatch: SampleRatioMismatchResult? = nil
    ) -> Verdict {
        var reasons: [String] = []
        if let srm = sampleRatioMismatch, srm.isMismatch {
            reasons.append(srm.message ?? "Sample ratio mismatch.")
            return Verdict(arm: primary.arm, decision: .checkAssignment, reasons: reasons, unitsStillNeededPerArm: nil)
        }
        let breached = guardrails.filter { $0.guardrailStatus == .breached }
        for g in breached { reasons.append("Guardrail \(g.metric) degraded beyond its tolerance.") }
        for g in guardrails where g.guardrailStatus == .atRisk {
            reasons.append("Guardrail \(g.metric) may have degraded beyond its tolerance (interval crosses it).")
        }
        let p = Self.pText(primary.decisionPValue)
        if primary.isSignificant && !primary.isImprovement {
            reasons.insert("\(primary.metric) is significantly worse (\(p)).", at: 0)
            return Verdict(arm: primary.arm, decision: .stopForHarm, reasons: reasons, unitsStillNeededPerArm: nil)
        }
        if !breached.isEmpty {
            return Verdict(arm: primary.arm, decision: .stopForHarm, reasons: reasons, unitsStillNeededPerArm: nil)
        }
        if primary.isSignificant && primary.isImprovement {
            reasons.insert("\(primary.metric) is significantly better (\(p)).", at: 0)
            return Verdict(arm: primary.arm, decision: .ship, reasons: reasons, unitsStillNeededPerArm: nil)
        }
        reasons.insert("\(primary.metric) shows no significant difference yet (\(p)).", at: 0)
        return Verdict(arm: primary.arm, decision: .keepRunning, reasons: reasons, unitsStillNeededPerArm: primary.unitsStillNeededPerArm)
    }

    /// A p-value as people read it: "p = 0.3906" (four decimals), or "p < 0.0001" below that.
    static func pText(_ p: Double) -> String {
        guard p.isFinite, p >= 0 else { return "p = \(p)" }
        return p < 0.0001 ? "p < 0.0001" : String(format: "p = %.4f", p)
    }
}
