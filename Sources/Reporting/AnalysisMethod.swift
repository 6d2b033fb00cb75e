/// How the report compared the arms, said in the output: pooled over the whole range, or
/// per allocation period when the weights changed while units entered (bandits).
public struct AnalysisMethod: Codable, Equatable, Sendable {
    /// "pooled" or "per-period weighting".
    public var name: String
    /// Why this method, in a sentence.
    public var reason: String

    /// Per-period weighting whenever units entered under more than one allocation version.
    public static func choose(periodsWithUnits periods: Set<Int64>) -> AnalysisMethod {
        if periods.count > 1 {
            return AnalysisMethod(
                name: "per-period weighting",
                reason: "Units entered under \(periods.count) allocation versions, so arm weights changed during the experiment; "
                    + "lifts are estimated within each period and combined with period-size weights, because pooling would "
                    + "confound a drift of the metric over time with the shift of traffic (Simpson's paradox). "
                    + "Means are pooled over periods; lifts, intervals and p-values are per-period weighted. CUPED is not applied."
            )
        }
        return AnalysisMethod(
            name: "pooled",
            reason: "All units entered under one allocation version, so pooling the units of each arm is unbiased."
        )
    }

    /// Whether lifts are estimated per period.
    public var isStratified: Bool { name == "per-period weighting" }
}
