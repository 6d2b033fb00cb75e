import Foundation

/// How often one arm beat another over interleaved impressions, with an interval on the share of
/// decided impressions it won and a sign test of "no preference".
public struct PairwisePreference: Sendable, Hashable {
    /// Impressions where the first arm earned more clicks.
    public let wins: Int
    /// Impressions where the second arm earned more clicks.
    public let losses: Int
    /// Impressions with equal credit (including no clicks); they carry no preference.
    public let ties: Int
    /// Share of decided impressions won, wins / (wins + losses); 0.5 when none was decided.
    public let share: Double
    /// Wilson score interval on `share` at the requested confidence.
    public let interval: ClosedRange<Double>
    /// Two-sided exact sign test p-value of share = 1/2 over the decided impressions.
    public let signTestPValue: Double

    public init(wins: Int, losses: Int, ties: Int, confidence: Double = 0.95) {
        self.wins = wins
        self.losses = losses
        self.ties = ties
        let decided = wins + losses
        self.share = decided == 0 ? 0.5 : Double(wins) / Double(decided)
        self.interval = Self.wilsonInterval(successes: wins, trials: decided, confidence: confidence)
        self.signTestPValue = Self.signTest(wins: wins, losses: losses)
    }

    /// Wilson score interval for a binomial proportion; [0, 1] when there are no trials.
    static func wilsonInterval(successes: Int, trials: Int, confidence: Double) -> ClosedRange<Double> {
        guard trials > 0 else { return 0...1 }
        let n = Double(trials)
        let p = Double(successes) / n
        let z = standardNormalQuantile(0.5 + confidence / 2)
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let halfWidth = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return max(0, centre - halfWidth)...min(1, centre + halfWidth)
    }

    /// Two-sided exact binomial test of p = 1/2: 2 · P(X ≤ min(wins, losses)), capped at 1.
    static func signTest(wins: Int, losses: Int) -> Double {
        let n = wins + losses
        guard n > 0 else { return 1 }
        let smaller = min(wins, losses)
        // log P(X = k) by the recurrence P(k + 1) = P(k) · (n − k) / (k + 1), from P(0) = 2⁻ⁿ,
        // in logs so large n does not underflow.
        var logProbability = Double(n) * log(0.5)
        var tail = 0.0
        for k in 0...smaller {
            tail += exp(logProbability)
            logProbability += log(Double(n - k)) - log(Double(k + 1))
        }
        return min(1, 2 * tail)
    }
}
