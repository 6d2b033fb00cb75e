/// A policy's cumulative regret after each batch, averaged over seeds.
public struct RegretCurve: Sendable, Hashable, Codable {
    /// The policy's name.
    public var policy: String
    /// Decisions made at the end of each batch.
    public var decisions: [Int]
    /// Mean cumulative regret over seeds at each of those points.
    public var meanRegret: [Double]
    /// Each seed's final cumulative regret.
    public var finalRegrets: [Double]

    /// The mean final cumulative regret over seeds.
    public var finalMean: Double { finalRegrets.reduce(0, +) / Double(max(1, finalRegrets.count)) }

    /// The standard error of `finalMean` (sample standard deviation / √seeds).
    public var finalStandardError: Double {
        let n = Double(finalRegrets.count)
        guard n > 1 else { return 0 }
        let m = finalMean
        let variance = finalRegrets.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        return (variance / n).squareRoot()
    }
}
