/// The full comparison of one arm against control on one metric: every test of this module
/// run on the same sufficient statistics, with one entry point (gbstats' `compute` design).
public enum Comparison {
    /// Runs the fixed-horizon, sequential and Bayesian tests, CUPED when both arms carry a
    /// covariate, the guardrail check and the power calculation.
    public static func compute(
        metric: MetricSpec,
        control: ArmData,
        treatment: ArmData,
        settings: AnalysisSettings = .init()
    ) -> MetricComparison {
        var messages: [String] = []
        var a = control.statistics.estimate(kind: metric.kind)
        var b = treatment.statistics.estimate(kind: metric.kind)
        var theta: Double?
        if let ca = control.covariate, let cb = treatment.covariate, metric.kind != .ratio {
            let adjustment = CUPED.adjust(
                control: (control.statistics, ca),
                treatment: (treatment.statistics, cb),
                kind: metric.kind
            )
            (a, b, theta) = (adjustment.control, adjustment.treatment, adjustment.theta)
        }
        if let reason = control.statistics.degeneracy(kind: metric.kind) ?? treatment.statistics.degeneracy(kind: metric.kind) {
            messages.append(reason.description)
        }
        let usesZTest = metric.kind == .proportion && theta == nil
        func fixed(_ scale: LiftScale) -> FrequentistResult {
            let config = FrequentistConfig(alpha: settings.alpha, scale: scale)
            return usesZTest
                ? TwoProportionZTest.compute(control: control.statistics, treatment: treatment.statistics, config: config)
                : WelchTTest.compute(control: a, treatment: b, config: config)
        }
        func sequential(_ scale: LiftScale) -> SequentialResult {
            MixtureSPRT.compute(
                control: a,
                treatment: b,
                config: SequentialConfig(alpha: settings.alpha, tuningSampleSize: settings.sequentialTuningSampleSize, scale: scale)
            )
        }
        let (fixedAbsolute, fixedRelative) = (fixed(.absolute), fixed(.relative))
        let (sequentialAbsolute, sequentialRelative) = (sequential(.absolute), sequential(.relative))
        for note in [fixedAbsolute.message, fixedRelative.message].compactMap({ $0 }) where !messages.contains(note) {
            messages.append(note)
        }

        let (chance, loss) = bayesian(metric: metric, a: a, b: b, control: control, treatment: treatment, settings: settings, usesBeta: usesZTest)
        let improves = metric.direction == .higherIsBetter ? fixedAbsolute.estimate > 0 : fixedAbsolute.estimate < 0
        // A guardrail whose test could not run cannot be cleared: it stays at risk.
        let guardrailStatus = metric.guardrail.map { guardrail -> GuardrailStatus in
            let result = guardrail.scale == .absolute ? fixedAbsolute : fixedRelative
            return result.message == nil ? guardrail.status(of: result.interval) : .atRisk
        }
        let sizing = sizing(metric: metric, a: a, b: b, settings: settings)
        let decisionP = settings.sequential ? sequentialAbsolute.pValue : fixedAbsolute.pValue
        return MetricComparison(
            metric: metric.name,
            arm: treatment.arm,
            control: control.arm,
            controlUnits: a.count,
            treatmentUnits: b.count,
            controlMean: a.unadjustedMean,
            treatmentMean: b.unadjustedMean,
            absoluteLift: LiftSummary(
                estimate: fixedAbsolute.estimate,
                interval: fixedAbsolute.interval,
                sequentialInterval: sequentialAbsolute.interval
            ),
            relativeLift: LiftSummary(
                estimate: fixedRelative.estimate,
                interval: fixedRelative.interval,
                sequentialInterval: sequentialRelative.interval
            ),
            testMethod: theta == nil ? fixedAbsolute.method : "CUPED-adjusted " + fixedAbsolute.method,
            pValue: fixedAbsolute.pValue,
            sequentialPValue: sequentialAbsolute.pValue,
            adjustedPValue: nil,
            chanceToBeatControl: chance,
            expectedLoss: loss,
            cupedTheta: theta,
            guardrailStatus: guardrailStatus,
            power: sizing.power,
            unitsStillNeededPerArm: sizing.stillNeeded,
            isSignificant: fixedAbsolute.message == nil && decisionP < settings.alpha,
            isImprovement: improves,
            messages: messages,
            usesSequentialPValue: settings.sequential,
            relativePValue: fixedRelative.pValue,
            relativeSequentialPValue: sequentialRelative.pValue
        )
    }

    /// Chance to beat control and expected loss: exact Beta-Binomial for plain proportions,
    /// the normal posterior of the absolute lift otherwise.
    private static func bayesian(
        metric: MetricSpec,
        a: ArmEstimate,
        b: ArmEstimate,
        control: ArmData,
        treatment: ArmData,
        settings: AnalysisSettings,
        usesBeta: Bool
    ) -> (chance: Double, loss: Double) {
        if usesBeta {
            let r = BetaBinomialTest.compute(
                control: control.statistics,
                treatment: treatment.statistics,
                prior: settings.betaPrior,
                direction: metric.direction
            )
            return (r.chanceToBeatControl, r.expectedLoss)
        }
        // The relative prior is rescaled to the absolute scale by the control mean (gbstats).
        let prior = settings.liftPrior.map {
            GaussianPrior(mean: $0.mean * abs(a.unadjustedMean), variance: $0.variance * a.unadjustedMean * a.unadjustedMean)
        }
        let r = NormalPosteriorTest.compute(
            control: a,
            treatment: b,
            config: BayesianConfig(alpha: settings.alpha, scale: .absolute, prior: prior, direction: metric.direction)
        )
        return (r.chanceToBeatControl, r.expectedLoss)
    }

    /// Power now and units per arm still needed for the metric's minimum detectable effect.
    private static func sizing(
        metric: MetricSpec,
        a: ArmEstimate,
        b: ArmEstimate,
        settings: AnalysisSettings
    ) -> (power: Double?, stillNeeded: Double?) {
        guard let mde = metric.minimumDetectableEffect, a.degeneracy == nil, a.mean != 0 else { return (nil, nil) }
        let n = min(a.count, b.count)
        let treatmentVariance = metric.kind == .proportion ? a.mean * (1 + mde) * (1 - a.mean * (1 + mde)) : a.variance
        let power = PowerAnalysis.power(
            mean: a.mean,
            controlVariance: a.variance,
            treatmentVariance: treatmentVariance,
            relativeEffect: mde,
            unitsPerArm: n,
            alpha: settings.alpha
        )
        let needed = PowerAnalysis.unitsPerArm(
            mean: a.mean,
            controlVariance: a.variance,
            treatmentVariance: treatmentVariance,
            relativeEffect: mde,
            alpha: settings.alpha,
            power: settings.targetPower
        )
        return (power, needed.map { max(0, ($0 - n).rounded(.up)) })
    }
}
