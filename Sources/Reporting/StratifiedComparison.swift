import Stats
import Storage

/// The comparison of one arm with control when the allocation changed over time: the lift
/// is estimated within each allocation period and combined with period-size weights
/// (`StratifiedAnalysis`), so a drift of the base rate that coincides with a shift of
/// traffic cannot masquerade as a lift (docs/statistics.md, "Changing allocations").
enum StratifiedComparison {
    /// Replaces the lifts, tests and Bayesian summaries of `pooled` by their per-period
    /// weighted versions; counts, power and units still needed stay as pooled.
    static func compute(
        pooled: MetricComparison,
        metric: MetricSpec,
        control: [ReportCell],
        treatment: [ReportCell],
        settings: AnalysisSettings
    ) -> MetricComparison {
        let controlByPeriod = Dictionary(grouping: control, by: \.period).mapValues { $0.reduce(.zero) { $0 + $1.statistics } }
        let treatmentByPeriod = Dictionary(grouping: treatment, by: \.period).mapValues { $0.reduce(.zero) { $0 + $1.statistics } }
        let periods = Set(controlByPeriod.keys).union(treatmentByPeriod.keys).sorted().map { period in
            PeriodStatistics(control: controlByPeriod[period] ?? .zero, treatment: treatmentByPeriod[period] ?? .zero)
        }
        func fixed(_ scale: LiftScale) -> FrequentistResult {
            StratifiedAnalysis.compute(
                periods: periods,
                kind: metric.kind,
                weighting: .periodSize,
                config: FrequentistConfig(alpha: settings.alpha, scale: scale)
            )
        }
        let (absolute, relative) = (fixed(.absolute), fixed(.relative))
        var result = pooled
        result.testMethod = absolute.method
        result.cupedTheta = nil
        result.messages = [absolute.message, relative.message].compactMap { $0 }.reduce(into: []) { notes, note in
            if !notes.contains(note) { notes.append(note) }
        }
        let units = pooled.controlUnits + pooled.treatmentUnits
        let sequentialAbsolute = sequential(absolute, units: units, settings: settings)
        let sequentialRelative = sequential(relative, units: units, settings: settings)
        (result.absoluteLift.estimate, result.absoluteLift.interval) = (absolute.estimate, absolute.interval)
        result.absoluteLift.sequentialInterval = sequentialAbsolute.interval
        (result.relativeLift.estimate, result.relativeLift.interval) = (relative.estimate, relative.interval)
        result.relativeLift.sequentialInterval = sequentialRelative.interval
        result.pValue = absolute.pValue
        result.sequentialPValue = sequentialAbsolute.pValue
        let testable = absolute.standardError > 0
        if testable {
            let arms = estimates(absolute, units: units)
            let bayes = NormalPosteriorTest.compute(
                control: arms.control,
                treatment: arms.treatment,
                config: BayesianConfig(alpha: settings.alpha, scale: .absolute, direction: metric.direction)
            )
            (result.chanceToBeatControl, result.expectedLoss) = (bayes.chanceToBeatControl, bayes.expectedLoss)
        } else {
            (result.chanceToBeatControl, result.expectedLoss) = (0.5, 0)
        }
        result.guardrailStatus = metric.guardrail.map { guardrail in
            let interval = guardrail.scale == .absolute ? absolute.interval : relative.interval
            return testable ? guardrail.status(of: interval) : .atRisk
        }
        result.isImprovement = metric.direction == .higherIsBetter ? absolute.estimate > 0 : absolute.estimate < 0
        let decisionP = settings.sequential ? result.sequentialPValue : result.pValue
        result.isSignificant = testable && decisionP < settings.alpha
        return result
    }

    /// The mSPRT on a combined lift. `MixtureSPRT` and `NormalPosteriorTest` depend on the
    /// arms only through the lift Δ, its variance V and the units N, so two stand-in arms
    /// with means 0 and Δ and per-unit variances V·n/2 (Var = V/2 + V/2 = V) on the absolute
    /// scale give exactly the test of (Δ, V, N), on whichever scale Δ was estimated.
    private static func sequential(_ fixed: FrequentistResult, units: Double, settings: AnalysisSettings) -> SequentialResult {
        let arms = estimates(fixed, units: units)
        return MixtureSPRT.compute(
            control: arms.control,
            treatment: arms.treatment,
            config: SequentialConfig(alpha: settings.alpha, tuningSampleSize: settings.sequentialTuningSampleSize, scale: .absolute)
        )
    }

    /// Stand-in arms of `units / 2` units each (at least two, since `ArmEstimate` refuses
    /// fewer) whose absolute lift is the combined Δ with variance V.
    private static func estimates(_ fixed: FrequentistResult, units: Double) -> (control: ArmEstimate, treatment: ArmEstimate) {
        let half = max(units / 2, 2)
        let perUnit = fixed.standardError * fixed.standardError * half / 2
        return (
            ArmEstimate(count: half, mean: 0, variance: perUnit),
            ArmEstimate(count: half, mean: fixed.estimate, variance: perUnit)
        )
    }
}
