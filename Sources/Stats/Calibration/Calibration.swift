/// How one estimator fared over many simulated experiments of one scenario.
public struct CalibrationResult: Sendable, Hashable, Codable {
    public var scenario: String
    public var method: String
    public var experiments: Int
    /// Experiments the method could not test (zero variance, empty arm).
    public var untestable: Int
    /// Share of testable experiments whose fixed 1 − α interval covers the true lift.
    public var absoluteCoverage: Double
    public var relativeCoverage: Double
    /// Mean error of the estimate in units of the estimates' standard deviation.
    public var absoluteBias: Double
    public var relativeBias: Double
    /// Share of experiments where the fixed test rejected (its false-positive rate in an
    /// A/A scenario, its power otherwise); untestable experiments count as not rejected.
    public var fixedRejection: Double
    /// Share where the always-valid p-value fell below α at any look (one per period).
    public var sequentialRejection: Double
    /// Share whose always-valid confidence sequence covered the truth at every look.
    public var sequentialCoverage: Double
}

/// Seeded simulations that check an estimator's intervals cover the truth at their nominal
/// rate under adaptive allocation (docs/statistics.md, "Adaptive allocation"; the
/// `abctl calibrate` command prints the table).
public enum Calibration {
    /// Runs `experiments` simulations of `scenario` (seeded from `seed`) and evaluates each
    /// method on the same simulated data.
    public static func run(
        scenario: CalibrationScenario,
        methods: [CalibrationMethod],
        experiments: Int,
        seed: UInt64,
        settings: AnalysisSettings = AnalysisSettings()
    ) -> [CalibrationResult] {
        var tallies = methods.map { _ in Tally(alpha: settings.alpha) }
        var generator = SplitMix64(seed: seed)
        for _ in 0..<experiments {
            let experiment = scenario.simulate(using: &generator)
            for (index, method) in methods.enumerated() {
                tallies[index].add(evaluate(experiment, method: method, kind: scenario.outcome.kind, settings: settings), experiment: experiment)
            }
        }
        return zip(methods, tallies).map { method, tally in tally.result(scenario: scenario.name, method: method.rawValue, experiments: experiments) }
    }

    /// The outcome of one method on one experiment.
    struct Evaluation {
        var absolute: Lift?
        var relative: Lift?
        var fixed: (absolute: Interval, relative: Interval, pValue: Double)?
        var sequentialRejected: Bool
        var sequentialCovered: Bool
    }

    static func evaluate(_ experiment: SimulatedExperiment, method: CalibrationMethod, kind: MetricKind, settings: AnalysisSettings) -> Evaluation {
        var rejected = false
        var covered = true
        var units = 0.0
        var final = CalibrationMethod.Analysis()
        for look in 1...experiment.periods.count {
            let periods = Array(experiment.periods[..<look])
            units += experiment.periods[look - 1].values.reduce(0) { $0 + $1.count }
            let lifts = method.lifts(periods: periods, treatmentShares: Array(experiment.treatmentShares[..<look]), kind: kind, alpha: settings.alpha)
            final = lifts
            guard let absolute = lifts.absolute else { continue }
            let tests = PostStratifiedComparison.tests(absolute, units: units, settings: settings)
            if tests.sequential.pValue < settings.alpha { rejected = true }
            if !tests.sequential.interval.contains(experiment.absoluteTruth) { covered = false }
        }
        var fixed: (Interval, Interval, Double)?
        if let a = final.absolute, let r = final.relative {
            let ta = PostStratifiedComparison.tests(a, units: units, settings: settings)
            let tr = PostStratifiedComparison.tests(r, units: units, settings: settings)
            fixed = (ta.fixed.interval, final.relativeInterval ?? tr.fixed.interval, ta.fixed.pValue)
        }
        return Evaluation(absolute: final.absolute, relative: final.relative, fixed: fixed, sequentialRejected: rejected, sequentialCovered: covered)
    }

    /// Running sums over experiments.
    struct Tally {
        var alpha: Double
        var testable = 0
        var untestable = 0
        var coveredAbsolute = 0
        var coveredRelative = 0
        var errorsAbsolute: [Double] = []
        var errorsRelative: [Double] = []
        var fixedRejections = 0
        var sequentialRejections = 0
        var sequentialCovered = 0

        mutating func add(_ e: Evaluation, experiment: SimulatedExperiment) {
            if e.sequentialRejected { sequentialRejections += 1 }
            if e.sequentialCovered { sequentialCovered += 1 }
            guard let fixed = e.fixed, let a = e.absolute, let r = e.relative else {
                untestable += 1
                return
            }
            testable += 1
            if fixed.absolute.contains(experiment.absoluteTruth) { coveredAbsolute += 1 }
            if fixed.relative.contains(experiment.relativeTruth) { coveredRelative += 1 }
            if fixed.pValue < alpha { fixedRejections += 1 }
            errorsAbsolute.append(a.estimate - experiment.absoluteTruth)
            errorsRelative.append(r.estimate - experiment.relativeTruth)
        }

        func result(scenario: String, method: String, experiments: Int) -> CalibrationResult {
            let t = Double(max(testable, 1))
            return CalibrationResult(
                scenario: scenario,
                method: method,
                experiments: experiments,
                untestable: untestable,
                absoluteCoverage: Double(coveredAbsolute) / t,
                relativeCoverage: Double(coveredRelative) / t,
                absoluteBias: Self.standardisedBias(errorsAbsolute),
                relativeBias: Self.standardisedBias(errorsRelative),
                fixedRejection: Double(fixedRejections) / Double(max(experiments, 1)),
                sequentialRejection: Double(sequentialRejections) / Double(max(experiments, 1)),
                sequentialCoverage: Double(sequentialCovered) / Double(max(experiments, 1))
            )
        }

        /// mean(error) / sd(error): the bias in units of the estimator's standard deviation.
        static func standardisedBias(_ errors: [Double]) -> Double {
            guard errors.count > 1 else { return 0 }
            let stats = SufficientStatistics(values: errors)
            let sd = stats.sampleVariance.squareRoot()
            return sd > 0 ? stats.mean / sd : 0
        }
    }
}
