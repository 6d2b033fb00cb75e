/// How the report compared the arms, said in the output: pooled over the whole range, or
/// post-stratified on the allocation period when the weights changed while units entered
/// (bandits).
public struct AnalysisMethod: Codable, Equatable, Sendable {
    /// "pooled" or "post-stratified".
    public var name: String
    /// Why this method, in a sentence.
    public var reason: String

    /// Post-stratification whenever units entered under more than one allocation version.
    public static func choose(periodsWithUnits periods: Set<Int64>) -> AnalysisMethod {
        if periods.count > 1 {
            return AnalysisMethod(
                name: Self.postStratifiedName,
                reason: "Units entered under \(periods.count) allocation versions, so arm weights changed during the experiment. "
                    + "Each arm's mean is post-stratified: its mean within each allocation period, weighted by the period's share "
                    + "of all units, so a drift of the metric over time cannot pass for a lift when traffic shifts (Simpson's paradox) "
                    + "and nothing is left out because of its outcome. Means, lifts, intervals and p-values all come from that one "
                    + "estimator (the raw pooled means stay in the JSON as pooledMean). CUPED is not applied."
            )
        }
        return AnalysisMethod(
            name: "pooled",
            reason: "All units entered under one allocation version, so pooling the units of each arm is unbiased."
        )
    }

    /// The name of the method for adaptively allocated experiments.
    public static let postStratifiedName = "post-stratified"

    /// Whether the arms are post-stratified on the allocation period.
    public var isStratified: Bool { name == Self.postStratifiedName }
}
