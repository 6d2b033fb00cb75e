/// The comparison of one arm with control when the allocation moved: every figure of the
/// row (means, absolute and relative lift, both intervals, both p-values, the Bayesian
/// summary, power) comes from one estimator, `PostStratification`, so the row agrees with
/// itself: the lift is the difference (or ratio) of the means shown beside it.
public enum PostStratifiedComparison {
    /// The comparison of `treatment` with `control` from an estimate that holds both arms.
    public static func compute(
        estimate: PostStratifiedEstimate,
        metric: MetricSpec,
        control: String,
        treatment: String,
        settings: AnalysisSettings
    ) -> MetricComparison {
        let a = estimate.arm(control)
        let b = estimate.arm(treatment)
        let units = (a?.units ?? 0) + (b?.units ?? 0)
        func lift(_ scale: LiftScale) -> Result<Lift, Degeneracy> {
            Result { () throws(Degeneracy) in try estimate.lift(control: control, treatment: treatment, scale: scale) }
        }
        let absolute = lift(.absolute)
        let relative = lift(.relative)
        var messages: [String] = []
        for case .failure(let reason) in [absolute, relative] where !messages.contains(reason.description) {
            messages.append(reason.description)
        }
        if estimate.periodsLeftOut > 0 {
            let share = (estimate.unitShareLeftOut * 1000).rounded() / 10
            messages.append(
                "\(estimate.periodsLeftOut) allocation period(s) where an arm had fewer than two units (\(share)% of units) are left out for every arm."
            )
        }
        let absoluteSummary = summary(absolute, units: units, settings: settings)
        var relativeSummary = summary(relative, units: units, settings: settings)
        if let log = estimate.logRelativeTest(control: control, treatment: treatment, alpha: settings.alpha) {
            relativeSummary?.fixed = (log.pValue, log.interval)
        }
        let absoluteLift = try? absolute.get()
        let testable = absoluteLift != nil
        var chance = 0.5
        var loss = 0.0
        if let absoluteLift {
            let arms = standIns(absoluteLift, units: units)
            let bayes = NormalPosteriorTest.compute(
                control: arms.control,
                treatment: arms.treatment,
                config: BayesianConfig(alpha: settings.alpha, scale: .absolute, direction: metric.direction)
            )
            (chance, loss) = (bayes.chanceToBeatControl, bayes.expectedLoss)
        }
        let guardrailStatus = metric.guardrail.map { guardrail -> GuardrailStatus in
            let side = guardrail.scale == .absolute ? absoluteSummary : relativeSummary
            guard testable, let side else { return .atRisk }
            return guardrail.status(of: side.fixed.interval)
        }
        let sizing = sizing(metric: metric, a: a, b: b, settings: settings)
        let pValue = absoluteSummary?.fixed.pValue ?? 1
        let sequentialPValue = absoluteSummary?.sequential.pValue ?? 1
        let estimateAbsolute = absoluteLift?.estimate ?? 0
        let empty = Interval(lower: nil, upper: nil)
        return MetricComparison(
            metric: metric.name,
            arm: treatment,
            control: control,
            controlUnits: a?.units ?? 0,
            treatmentUnits: b?.units ?? 0,
            controlMean: a?.mean ?? 0,
            treatmentMean: b?.mean ?? 0,
            absoluteLift: LiftSummary(
                estimate: estimateAbsolute,
                interval: absoluteSummary?.fixed.interval ?? empty,
                sequentialInterval: absoluteSummary?.sequential.interval ?? empty
            ),
            relativeLift: LiftSummary(
                estimate: (try? relative.get())?.estimate ?? 0,
                interval: relativeSummary?.fixed.interval ?? empty,
                sequentialInterval: relativeSummary?.sequential.interval ?? empty
            ),
            testMethod: method,
            pValue: pValue,
            sequentialPValue: sequentialPValue,
            adjustedPValue: nil,
            chanceToBeatControl: chance,
            expectedLoss: loss,
            cupedTheta: nil,
            guardrailStatus: guardrailStatus,
            power: sizing.power,
            unitsStillNeededPerArm: sizing.stillNeeded,
            isSignificant: testable && (settings.sequential ? sequentialPValue : pValue) < settings.alpha,
            isImprovement: metric.direction == .higherIsBetter ? estimateAbsolute > 0 : estimateAbsolute < 0,
            messages: messages,
            usesSequentialPValue: settings.sequential,
            relativePValue: relativeSummary?.fixed.pValue,
            relativeSequentialPValue: relativeSummary?.sequential.pValue
        )
    }

    /// The estimator in words, as reports print it.
    public static let method =
        "post-stratified on allocation periods (period weights = share of units), z test; relative interval on the log scale"

    /// The fixed-horizon z test and the always-valid mSPRT of one lift.
    public struct Tests: Sendable {
        public var fixed: (pValue: Double, interval: Interval)
        public var sequential: (pValue: Double, interval: Interval)
    }

    /// Both tests of a lift Δ with variance V at this look, over `units` units.
    public static func tests(_ lift: Lift, units: Double, settings: AnalysisSettings) -> Tests {
        let se = lift.standardError
        let z = lift.estimate / se
        let fixedP = Pivot.pValue(z, alternative: .twoSided, survival: Normal.survival)
        let interval = Pivot.interval(
            estimate: lift.estimate,
            standardError: se,
            alpha: settings.alpha,
            alternative: .twoSided,
            quantile: Normal.quantile
        )
        let arms = standIns(lift, units: units)
        let sequential = MixtureSPRT.compute(
            control: arms.control,
            treatment: arms.treatment,
            config: SequentialConfig(alpha: settings.alpha, tuningSampleSize: settings.sequentialTuningSampleSize, scale: .absolute)
        )
        return Tests(fixed: (fixedP, interval), sequential: (sequential.pValue, sequential.interval))
    }

    private static func summary(_ lift: Result<Lift, Degeneracy>, units: Double, settings: AnalysisSettings) -> Tests? {
        guard case .success(let l) = lift else { return nil }
        return tests(l, units: units, settings: settings)
    }

    /// `MixtureSPRT` and `NormalPosteriorTest` depend on the arms only through the lift Δ, its
    /// variance V and the units N, so two stand-in arms of N/2 units with means 0 and Δ and
    /// per-unit variances V·N/4 (Var = V/2 + V/2 = V) give exactly the test of (Δ, V, N), on
    /// whichever scale Δ was estimated.
    static func standIns(_ lift: Lift, units: Double) -> (control: ArmEstimate, treatment: ArmEstimate) {
        let half = max(units / 2, 2)
        let perUnit = lift.variance * half / 2
        return (ArmEstimate(count: half, mean: 0, variance: perUnit), ArmEstimate(count: half, mean: lift.estimate, variance: perUnit))
    }

    /// Power and units still needed for the estimator in use: its per-unit variances are
    /// V_a·n̄ with n̄ the mean units per arm, so the power formula sees exactly the standard
    /// error √(V_A + V_B) now, and more units at the current split shrink it as 1/√n.
    private static func sizing(
        metric: MetricSpec,
        a: PostStratifiedArm?,
        b: PostStratifiedArm?,
        settings: AnalysisSettings
    ) -> (power: Double?, stillNeeded: Double?) {
        guard let mde = metric.minimumDetectableEffect, let a, let b, a.mean != 0, a.variance + b.variance > 0 else { return (nil, nil) }
        let n = (a.units + b.units) / 2
        let power = PowerAnalysis.power(
            mean: a.mean,
            controlVariance: a.variance * n,
            treatmentVariance: b.variance * n,
            relativeEffect: mde,
            unitsPerArm: n,
            alpha: settings.alpha
        )
        let needed = PowerAnalysis.unitsPerArm(
            mean: a.mean,
            controlVariance: a.variance * n,
            treatmentVariance: b.variance * n,
            relativeEffect: mde,
            alpha: settings.alpha,
            power: settings.targetPower
        )
        return (power, needed.map { max(0, ($0 - n).rounded(.up)) })
    }
}
