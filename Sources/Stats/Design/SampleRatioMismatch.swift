/// One stretch of time during which the arm weights were constant, with the units each arm
/// received in it.
public struct AllocationPeriod: Sendable, Hashable, Codable {
    /// Units assigned to each arm in the period (same arm order in every period).
    public var unitCounts: [Double]
    /// The arm weights in force during the period; normalised to sum to one.
    public var weights: [Double]

    public init(unitCounts: [Double], weights: [Double]) {
        self.unitCounts = unitCounts
        self.weights = weights
    }
}

/// The outcome of the sample-ratio-mismatch check.
public struct SampleRatioMismatchResult: Sendable, Hashable, Codable {
    /// Observed units per arm over all periods.
    public var observed: [Double]
    /// Expected units per arm: Σ_p total_p × w_{arm,p}.
    public var expected: [Double]
    /// Pearson's χ² = Σ (observed − expected)² / expected over arms with expected > 0.
    public var chiSquare: Double
    /// Arms with expected > 0, minus one.
    public var degreesOfFreedom: Double
    /// P(χ² ≥ observed statistic) under correct assignment.
    public var pValue: Double
    /// Whether the p-value is below the threshold (the assignment looks broken).
    public var isMismatch: Bool
    /// What went wrong or why no test ran; nil when the check passed.
    public var message: String?
}

/// Sample-ratio mismatch: Pearson's χ² goodness of fit of the observed units per arm against
/// the counts the allocation history implies (scipy `chisquare`; the 0.001 threshold follows
/// Fabijan et al., "Diagnosing Sample Ratio Mismatch", KDD 2019, and gbstats' `check_srm`).
public enum SampleRatioMismatch {
    /// Runs the check over the periods of constant allocation.
    public static func compute(periods: [AllocationPeriod], threshold: Double = 0.001) -> SampleRatioMismatchResult {
        let arms = periods.map { max($0.unitCounts.count, $0.weights.count) }.max() ?? 0
        var observed = [Double](repeating: 0, count: arms)
        var expected = [Double](repeating: 0, count: arms)
        for period in periods {
            let total = period.unitCounts.reduce(0, +)
            let weightSum = period.weights.reduce(0, +)
            for arm in 0..<arms {
                observed[arm] += arm < period.unitCounts.count ? period.unitCounts[arm] : 0
                if weightSum > 0, arm < period.weights.count {
                    expected[arm] += total * period.weights[arm] / weightSum
                }
            }
        }
        var chiSquare = 0.0
        var tested = 0
        var unexpectedUnits = false
        for arm in 0..<arms {
            if expected[arm] > 0 {
                let d = observed[arm] - expected[arm]
                chiSquare += d * d / expected[arm]
                tested += 1
            } else if observed[arm] > 0 {
                unexpectedUnits = true
            }
        }
        let df = Double(max(tested - 1, 0))
        if unexpectedUnits {
            return SampleRatioMismatchResult(
                observed: observed,
                expected: expected,
                chiSquare: chiSquare,
                degreesOfFreedom: df,
                pValue: 0,
                isMismatch: true,
                message: "Units reached an arm whose weight was zero in every period; check assignment and logging."
            )
        }
        guard tested >= 2, chiSquare.isFinite else {
            return SampleRatioMismatchResult(
                observed: observed,
                expected: expected,
                chiSquare: 0,
                degreesOfFreedom: df,
                pValue: 1,
                isMismatch: false,
                message: "Fewer than two arms received traffic; there is no ratio to check."
            )
        }
        let p = ChiSquared.survival(chiSquare, degreesOfFreedom: df)
        let mismatch = p < threshold
        return SampleRatioMismatchResult(
            observed: observed,
            expected: expected,
            chiSquare: chiSquare,
            degreesOfFreedom: df,
            pValue: p,
            isMismatch: mismatch,
            message: mismatch
                ? "Sample ratio mismatch (p = \(p)): the arms' unit counts do not match the allocation; do not trust the results."
                : nil
        )
    }
}
