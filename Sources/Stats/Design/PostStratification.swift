import RealModule

/// One arm's post-stratified estimate of a metric: the mean it would have over the whole
/// experiment's traffic, with the variance of that estimate.
public struct PostStratifiedArm: Sendable, Hashable, Codable {
    /// The arm's key.
    public var arm: String
    /// The arm's units in the periods the estimate uses.
    public var units: Double
    /// X̄/Ȳ: the post-stratified mean (Ȳ = 1 for means and proportions).
    public var mean: Double
    /// The variance of `mean` (delta method for ratios), never from a vanished cell variance.
    public var variance: Double

    public init(arm: String, units: Double, mean: Double, variance: Double) {
        self.arm = arm
        self.units = units
        self.mean = mean
        self.variance = variance
    }
}

/// Every arm's post-stratified estimate, and which periods it rests on.
public struct PostStratifiedEstimate: Sendable, Hashable, Codable {
    /// Per arm, in the order asked for.
    public var arms: [PostStratifiedArm]
    /// Periods used, and periods left out because an arm had fewer than two units in them
    /// (a count fixed by the randomization, never by the outcomes).
    public var periodsUsed: Int
    public var periodsLeftOut: Int
    /// The share of all units that entered in the periods left out.
    public var unitShareLeftOut: Double

    /// The estimate of `arm`, if it was asked for.
    public func arm(_ key: String) -> PostStratifiedArm? { arms.first { $0.arm == key } }

    /// The lift of `treatment` over `control`, from the same means: absolute
    /// Δ = m_B − m_A, Var = V_A + V_B. Relative: m_B/m_A − 1 less its second-order bias
    /// (E[m_B/m_A] ≈ (μ_B/μ_A)(1 + V_A/μ_A²), so the estimate is (m_B/m_A)/(1 + V_A/m_A²) − 1,
    /// which matters only when the control mean is noisy), with the delta-method variance
    /// V_B/m_A² + m_B²·V_A/m_A⁴. Arms are disjoint sets of units, so independent.
    public func lift(control: String, treatment: String, scale: LiftScale) throws(Degeneracy) -> Lift {
        guard let a = arm(control), let b = arm(treatment), a.units >= 2, b.units >= 2 else { throw .tooFewUnits }
        guard a.mean.isFinite, b.mean.isFinite, a.variance.isFinite, b.variance.isFinite else { throw .nonFiniteInput }
        guard a.variance + b.variance > 0 else { throw .zeroVariance }
        switch scale {
        case .absolute:
            return Lift(estimate: b.mean - a.mean, variance: a.variance + b.variance)
        case .relative:
            guard a.mean != 0 else { throw .zeroControlMean }
            let m2 = a.mean * a.mean
            return Lift(
                estimate: b.mean / a.mean / (1 + a.variance / m2) - 1,
                variance: b.variance / m2 + b.mean * b.mean * a.variance / (m2 * m2)
            )
        }
    }

    /// The fixed-horizon test of the relative lift on the log scale, where a ratio of means
    /// is close to normal even when the control mean is noisy: log(m_B/m_A) ± z·s with
    /// s² = V_B/m_B² + V_A/m_A², mapped back by exp(·) − 1 (an asymmetric interval), and its
    /// two-sided p-value. nil when a mean is not positive (then the delta-method interval
    /// of `lift(…, scale: .relative)` applies).
    public func logRelativeTest(control: String, treatment: String, alpha: Double) -> (interval: Interval, pValue: Double)? {
        guard let a = arm(control), let b = arm(treatment), a.mean > 0, b.mean > 0 else { return nil }
        let s = (b.variance / (b.mean * b.mean) + a.variance / (a.mean * a.mean)).squareRoot()
        guard s > 0, s.isFinite else { return nil }
        let logRatio = Double.log(b.mean / a.mean)
        let half = Normal.quantile(1 - alpha / 2) * s
        return (Interval(Double.exp(logRatio - half) - 1, Double.exp(logRatio + half) - 1), min(1, 2 * Normal.survival(abs(logRatio) / s)))
    }
}

/// The estimator of experiments whose allocation moved (bandits): post-stratification on the
/// allocation period. Within a period the arm weights are fixed, so each arm's units there
/// are a random sample of the period's traffic; weighting every period by its share of all
/// units, W_p = N_p / N (a count fixed by arrivals, the same for every arm), gives each arm's
/// mean over the experiment's whole traffic:
///
///     X̄_a = Σ_p W_p x̄_{a,p},  Ȳ_a = Σ_p W_p ȳ_{a,p},  m_a = X̄_a / Ȳ_a
///     Var(m_a) ≈ Σ_p W_p² v_{a,p} / n_{a,p} / Ȳ_a²,  v = s²ₓ − 2 m_a sₓᵧ + m_a² s²ᵧ
///
/// (ȳ ≡ 1 for means and proportions; the combined ratio estimator for ratio metrics, whose
/// bias is of order 1/n_a rather than 1/n_{a,p}). Nothing is dropped or reweighted because of
/// what the outcomes were. The per-unit variance v of a cell is its own shrunk toward the
/// within-period variance pooled over the arms, Σ_a (n_{a,p} − 1) v_{a,p} / Σ_a (n_{a,p} − 1),
/// so a starved arm's cell with no conversion still carries most of the period's variance
/// instead of zero (docs/statistics.md, "Adaptive allocation").
public enum PostStratification {
    /// Where a cell's per-unit variance comes from.
    public enum CellVariance: String, Sendable, Hashable, Codable, CaseIterable {
        /// The cell's own sample variance (vanishes in a cell without conversions).
        case own
        /// The within-period variance pooled over the arms.
        case pooledWithinPeriod
        /// The cell's own variance shrunk toward the pooled one, which counts as
        /// `shrinkageUnits` units of evidence: ((n − 1)·own + κ·pooled)/(n − 1 + κ) (the default).
        case shrunkTowardPeriod
    }

    /// κ of `CellVariance.shrunkTowardPeriod`: chosen by the calibration (docs/statistics.md).
    public static let shrinkageUnits = 100.0

    /// The estimate of every arm in `arms` from per-period statistics (arm key → statistics).
    /// Periods where one of `arms` has fewer than two units are left out for every arm, so
    /// all arms rest on the same periods and their means compare. A period's weight is its
    /// units in `weightArms` (default `arms`): pass every arm of the experiment, so that
    /// the weights are the period's share of all traffic whichever arms are compared.
    public static func estimate(
        periods: [[String: SufficientStatistics]],
        arms: [String],
        kind: MetricKind,
        weightArms: [String]? = nil,
        cellVariance: CellVariance = .shrunkTowardPeriod
    ) -> PostStratifiedEstimate {
        let weighting = weightArms ?? arms
        func units(_ period: [String: SufficientStatistics]) -> Double { weighting.reduce(0.0) { $0 + (period[$1]?.count ?? 0) } }
        let allUnits = periods.reduce(0.0) { $0 + units($1) }
        let used = periods.filter { period in
            arms.allSatisfy { arm in
                guard let s = period[arm], s.count >= 2 else { return false }
                return kind != .ratio || (s.denominatorSum ?? 0) > 0
            }
        }
        let periodUnits = used.map(units)
        let usedUnits = periodUnits.reduce(0, +)
        var means: [String: Double] = [:]
        var denominators: [String: Double] = [:]
        for arm in arms {
            var (x, y) = (0.0, 0.0)
            for (period, units) in zip(used, periodUnits) {
                guard let s = period[arm] else { continue }
                let w = units / usedUnits
                x += w * s.mean
                y += w * (kind == .ratio ? s.denominatorMean : 1)
            }
            means[arm] = y != 0 ? x / y : 0
            denominators[arm] = y
        }
        var variances = Dictionary(uniqueKeysWithValues: arms.map { ($0, 0.0) })
        for (period, units) in zip(used, periodUnits) {
            let w = units / usedUnits
            let own = arms.map { arm -> (v: Double, n: Double) in
                let s = period[arm] ?? .zero
                return (residualVariance(s, ratio: means[arm] ?? 0, kind: kind), s.count)
            }
            let pooledDegrees = own.reduce(0.0) { $0 + $1.n - 1 }
            let pooled = pooledDegrees > 0 ? own.reduce(0.0) { $0 + ($1.n - 1) * $1.v } / pooledDegrees : 0
            for (arm, cell) in zip(arms, own) {
                let v: Double
                switch cellVariance {
                case .own: v = cell.v
                case .pooledWithinPeriod: v = pooled
                case .shrunkTowardPeriod:
                    v = ((cell.n - 1) * cell.v + shrinkageUnits * pooled) / (cell.n - 1 + shrinkageUnits)
                }
                variances[arm, default: 0] += w * w * v / cell.n
            }
        }
        let estimates = arms.map { arm -> PostStratifiedArm in
            let y = denominators[arm] ?? 0
            let units = used.reduce(0.0) { $0 + ($1[arm]?.count ?? 0) }
            return PostStratifiedArm(arm: arm, units: units, mean: means[arm] ?? 0, variance: y != 0 ? (variances[arm] ?? 0) / (y * y) : 0)
        }
        return PostStratifiedEstimate(
            arms: estimates,
            periodsUsed: used.count,
            periodsLeftOut: periods.count - used.count,
            unitShareLeftOut: allUnits > 0 ? (allUnits - usedUnits) / allUnits : 0
        )
    }

    /// The sample variance of the per-unit residual x − m·y within a cell (n − 1 in the
    /// denominator); for plain means and proportions y ≡ 1 and this is s²ₓ.
    static func residualVariance(_ s: SufficientStatistics, ratio m: Double, kind: MetricKind) -> Double {
        guard s.count > 1 else { return 0 }
        guard kind == .ratio else { return s.sampleVariance }
        let v = s.sampleVariance - 2 * m * s.numeratorDenominatorCovariance + m * m * s.denominatorSampleVariance
        return max(0, v)
    }
}
